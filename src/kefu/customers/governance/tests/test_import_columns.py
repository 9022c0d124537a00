"""CUS-8 import of the CUS-1 / CUS-2 fields: a Chinese header row matched by name in any order,
unknown columns reported, all-or-nothing commit, the row-by-row error workbook, the template."""

import io
from datetime import date

import pytest
from django.test import Client
from django.utils import translation
from openpyxl import Workbook, load_workbook

from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.core.crypto import blind_index
from kefu.core.models import AuditEvent
from kefu.customers.governance import actions, sheets
from kefu.customers.governance.models import ImportStatus
from kefu.customers.models import Customer
from kefu.org.models import Unit

pytestmark = pytest.mark.django_db


def _workbook(header, rows) -> bytes:
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _import(demo, actor_of, content):
    job = actions.start_import(
        actor_of(demo["songyu"]),
        unit=Unit.objects.get(code="realty-cs"),
        filename="客户.xlsx",
        content=content,
        existing="skip",
    )
    return actions.run_import(job.pk)


def _report(job) -> dict:
    rows = load_workbook(io.BytesIO(bytes(job.error_report))).worksheets[0].iter_rows(values_only=True)
    return {r[0]: r[-1] for r in list(rows)[1:]}


FULL_HEADER = [
    "备注",  # unknown: reported and ignored
    "地址",
    "受众类别",
    "名称",
    "类型",
    "手机",
    "证件号/信用代码",
    "行业",
    "地区",
    "层级",
    "新客户/重要客户",
    "信用分类",
    "生命周期阶段",
    "密级",
    "同意对外提供",
    "负责人工号",
    "生日",
    "联系人",
    "联系人职务",
    "联系人电话",
]


def test_cus8_import_matches_chinese_headers_in_any_order(demo, actor_of, frozen):
    # CUS-8: the important CUS-1 fields and the CUS-2 dimensions, columns in any order, contacts optional
    company = {
        "备注": "老客户",
        "地址": "杭州市西湖区文三路 1 号",
        "受众类别": "B",
        "名称": "华辰建材有限公司",
        "类型": "单位",
        "手机": "13800000021",
        "证件号/信用代码": "91330000MA2B000001",
        "行业": "建材",
        "地区": "杭州",
        "层级": "普通",
        "新客户/重要客户": "重要客户",
        "信用分类": 2,
        "生命周期阶段": "维护",
        "密级": "绝密",
        "同意对外提供": "是",
        "负责人工号": "RE0009",
        "联系人": "陈经理",
        "联系人职务": "采购部经理",
        "联系人电话": "13900000021",
    }
    person = {
        "地址": "上海市",
        "名称": "周先生",
        "类型": "个人",
        "手机": "13800000022",
        "生日": date(1980, 5, 1),
    }
    rows = [[values.get(name) for name in FULL_HEADER] for values in (company, person)]
    job = _import(demo, actor_of, _workbook(FULL_HEADER, rows))
    assert job.status == ImportStatus.DONE, job.message
    assert job.created_rows == 2 and job.ignored_columns == ["备注"]
    assert "已忽略未知列：备注" in job.message and "unknown columns ignored" not in job.message
    company = Customer.objects.get(name="华辰建材有限公司")
    assert (company.kind, company.audience, company.tier, company.novelty) == (
        "organisation",
        "B",
        "normal",
        "important",
    )
    assert (company.credit_class, company.stage, company.confidentiality) == (2, "maintenance", "top_secret")
    assert (company.industry, company.region, company.consent_external) == ("建材", "杭州", True)
    assert company.owner == demo["huanglei"] and company.id_index == blind_index(
        "91330000MA2B000001", kind="id"
    )
    contact = company.contacts.get()
    assert (contact.name, contact.position, contact.phone) == ("陈经理", "采购部经理", "13900000021")
    assert contact.phone_index == blind_index("13900000021")
    person = Customer.objects.get(name="周先生")
    assert person.birthday == date(1980, 5, 1) and person.audience == "A" and not person.contacts.exists()
    assert AuditEvent.objects.filter(action="customer.contact_add", object_id=str(company.pk)).exists()


def test_cus8_header_synonyms_and_the_bilingual_form(demo, actor_of, frozen):
    # CUS-8: "客户名称", "联系电话", "名称 / Name", "类型*" all name their columns
    header = ["联系电话", "客户名称", "类型*", "受众类别 / Audience category"]
    job = _import(demo, actor_of, _workbook(header, [["13800000031", "别名客户", "个人", "C"]]))
    assert job.status == ImportStatus.DONE and job.ignored_columns == []
    customer = Customer.objects.get(name="别名客户")
    assert customer.phone == "13800000031" and customer.audience == "C"


def test_cus8_bad_values_are_reported_row_by_row_and_nothing_is_imported(demo, actor_of, frozen):
    # CUS-8: every wrong cell is named on its row in the error workbook; the archive is untouched
    before = Customer.objects.count()
    header = [
        "名称",
        "受众类别",
        "信用分类",
        "生命周期阶段",
        "性别",
        "生日",
        "负责人工号",
        "联系人电话",
        "密级",
    ]
    rows = [
        ["好客户", "B", 1, "拓展", "男", "1990-01-02", "", "", ""],
        ["坏客户", "D", 9, "冬眠", "X", "昨天", "NOPE01", "13900000000", "公开"],
        ["外公司负责人", "B", "", "", "", "", "WA0001", "", ""],
    ]
    job = _import(demo, actor_of, _workbook(header, rows))
    assert job.status == ImportStatus.FAILED and job.error_rows == 2
    assert Customer.objects.count() == before
    report = _report(job)
    assert 2 not in report  # issue 13: only the bad rows
    for text in (
        "D 类",
        "信用分类应为 1–4",
        "生命周期阶段无效",
        "性别无效",
        "生日格式",
        "负责人工号不存在",
        "联系人姓名",
        "密级无效",
    ):
        assert text in report[3], text
    assert "credit class must be 1–4" not in report[3]  # the language the import was started in
    assert "负责人工号不存在" in report[4]  # an employee of another subsidiary cannot own it


def test_cus8_a_column_given_twice_refuses_the_file(demo, actor_of, frozen):
    job = _import(
        demo, actor_of, _workbook(["名称", "手机", "联系电话"], [["甲", "13800000041", "13800000042"]])
    )
    assert job.status == ImportStatus.FAILED
    assert "表头重复" in job.message and "联系电话" in job.message and "given twice" not in job.message
    assert not Customer.objects.filter(name="甲").exists()


def test_cus8_missing_name_column_names_the_unknown_ones(demo, actor_of, frozen):
    job = _import(demo, actor_of, _workbook(["客户", "电话号"], [["甲", "13800000043"]]))
    assert job.status == ImportStatus.FAILED and "名称" in job.message
    assert job.ignored_columns == ["客户", "电话号"]


def test_cus8_template_lists_every_column_and_imports_back(client, demo, actor_of, frozen):
    # CUS-8: the downloadable template has every import column (Chinese headers, drop-downs, notes)
    client.force_login(demo["songyu"].user)
    response = client.get("/customers/governance/imports/template.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header == [c.zh for c in sheets.COLUMNS]
    assert {"名称", "类型", "手机", "地址", "证件号/信用代码", "受众类别", "层级", "联系人"} <= set(header)
    assert sheet.data_validations.dataValidation  # 类型 / 受众类别 / 层级 … as drop-downs
    assert workbook.worksheets[1].title == "说明 About"
    values = {"名称": "模板客户", "类型": "个人", "手机": "13800000051", "受众类别": "B", "层级": "普通"}
    sheet.append([values.get(name) for name in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = _import(demo, actor_of, buffer.getvalue())
    assert job.status == ImportStatus.DONE and job.created_rows == 1 and job.ignored_columns == []
    client.force_login(demo["zhaomin"].user)  # no customer.import
    assert client.get("/customers/governance/imports/template.xlsx").status_code == 404


def test_cus8_api_reports_ignored_columns(demo, frozen):
    from kefu.customers.governance.actions import run_import

    _, secret = create_token(
        Actor(user=demo["songyu"].user, origin="test"), user=demo["songyu"].user, name="t"
    )
    headers = {"Authorization": f"Bearer {secret}"}
    upload = io.BytesIO(_workbook(["名称", "手机", "内部编号"], [["接口列", "13800000061", "X-1"]]))
    upload.name = "a.xlsx"
    client = Client()
    started = client.post(
        "/api/v1/customers/governance/imports",
        {"unit_id": Unit.objects.get(code="realty-cs").pk, "existing": "skip", "file": upload},
        headers=headers,
    )
    assert started.status_code == 202
    run_import(started.json()["id"])
    polled = client.get(
        f"/api/v1/customers/governance/imports/{started.json()['id']}", headers=headers
    ).json()
    assert polled["status"] == "done" and polled["ignored_columns"] == ["内部编号"]
    page = Client()
    page.force_login(demo["songyu"].user)
    text = page.get(f"/customers/governance/imports/{started.json()['id']}/").content.decode()
    assert "内部编号" in text


def test_cus8_the_report_is_in_the_language_the_import_was_started_in(demo, actor_of, frozen):
    # issue 13: a page shows one language; the worker checks later, in the starter's language
    content = _workbook(["名称", "性别"], [["甲", "X"]])
    with translation.override("en"):
        job = actions.start_import(
            actor_of(demo["songyu"]),
            unit=Unit.objects.get(code="realty-cs"),
            filename="customers.xlsx",
            content=content,
            existing="skip",
        )
    job = actions.run_import(job.pk)  # the worker, in no page's language
    assert job.status == ImportStatus.FAILED and job.language == "en"
    assert "gender must be 男 or 女: X" in job.message and "性别无效" not in job.message
    header = next(
        load_workbook(io.BytesIO(bytes(job.error_report))).worksheets[0].iter_rows(values_only=True)
    )
    assert header[0] == "Row" and header[-1] == "Errors"
    chinese = _import(demo, actor_of, content)
    assert "性别无效：X" in chinese.message and "gender" not in chinese.message
