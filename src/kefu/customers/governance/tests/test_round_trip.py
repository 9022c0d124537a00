"""Issue 13, "Customer Excel round trip": an export imports back unchanged (CUS-8, SEC-5).

The export has the template's columns and words (one definition, `sheets.COLUMNS`), takes the customer
list's filters and is written in constant memory; the import skips or updates rows already in the
archive, reports only the bad rows, accepts strategic customers owned by group management, and says
where it is in words (排队中 / 检查中 n/N / 导入中 n/N / 已完成).
"""

import io

import pytest
from django.db.models import QuerySet
from django.test import Client
from openpyxl import load_workbook

from kefu.customers.governance import actions, sheets
from kefu.customers.governance.models import ImportJob, ImportStatus
from kefu.customers.governance.tests.test_import_columns import _workbook as workbook_of
from kefu.customers.models import Contact, Customer, CustomerChange
from kefu.org.models import Role, RoleAssignment, Unit

pytestmark = pytest.mark.django_db

SNAPSHOT = [
    "kind",
    "name",
    "phone",
    "id_number",
    "address",
    "company",
    "region",
    "industry",
    "position",
    "gender",
    "birthday",
    "source",
    "needs",
    "audience",
    "tier",
    "novelty",
    "credit_class",
    "stage",
    "confidentiality",
    "consent_external",
    "owner_id",
    "unit_id",
]


def _snapshot() -> dict:
    customers = {c.pk: tuple(getattr(c, f) for f in SNAPSHOT) for c in Customer.objects.all()}
    contacts = sorted(Contact.objects.values_list("customer_id", "name", "position"))
    return {"customers": customers, "contacts": contacts, "history": CustomerChange.objects.count()}


@pytest.fixture
def archive(demo, make_customer, actor_of):
    """A person and an organisation, normal, key (owned by the subsidiary's manager) and strategic
    (owned by group management, CUS-2), with a key person."""
    person = make_customer(
        "往返个人",
        phone="13900001111",
        id_number="110101199003074514",
        address="杭州市西湖区文三路1号",
        gender="女",
        region="杭州",
        consent_external=True,
    )
    key = make_customer(
        "往返重点单位",
        kind="organisation",
        phone="057188880001",
        id_number="91330000MA2B3C4D5E",
        company="往返重点单位",
        tier="key",
        owner=demo["wangfang"],
        credit_class=2,
        stage="maintenance",
    )
    strategic = make_customer(
        "往返战略单位",
        kind="organisation",
        phone="057188880002",
        tier="strategic",
        owner=demo["zhangwei"],
        novelty="important",
    )
    Contact.objects.create(customer=key, name="关键人", position="总经理", phone="13900002222")
    return {"person": person, "key": key, "strategic": strategic}


def _export(actor, **filters):
    content, count, _note = actions.export_customers(actor, purpose="往返", filters=filters)
    return content.read(), count


def _import(demo, actor_of, content: bytes, existing: str, who="songyu") -> ImportJob:
    job = actions.start_import(
        actor_of(demo[who]),
        unit=Unit.objects.get(code="realty-cs"),
        filename="导出.xlsx",
        content=content,
        existing=existing,
    )
    return actions.run_import(job.pk)


def _sheet(content: bytes) -> list[dict]:
    rows = list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.mark.parametrize("existing", ["skip", "update"])
def test_round_trip_export_imports_back_unchanged(demo, actor_of, archive, frozen, existing):
    # issue 13: every row of an export was refused (层级 普通客户, 类型 组织架构, 10 of 24 columns)
    content, count = _export(actor_of(demo["wangfang"]))
    rows = {r["名称"]: r for r in _sheet(content)}
    assert list(next(iter(rows.values()))) == [c.zh for c in sheets.COLUMNS]  # the template's columns
    assert (rows["往返个人"]["类型"], rows["往返个人"]["层级"]) == ("个人", "普通")
    assert (rows["往返重点单位"]["类型"], rows["往返重点单位"]["层级"]) == ("单位", "重点")
    assert rows["往返战略单位"]["层级"] == "战略" and rows["往返战略单位"]["负责人工号"] == "HC0001"
    assert rows["往返重点单位"]["联系人"] == "关键人"
    before = _snapshot()
    job = _import(demo, actor_of, content, existing)
    assert job.status == ImportStatus.DONE, job.message
    assert job.duplicate_rows == count and job.new_rows == 0
    assert (job.updated_rows, job.skipped_rows) == ((count, 0) if existing == "update" else (0, count))
    assert _snapshot() == before


def test_round_trip_update_writes_the_changed_cells_only(demo, actor_of, archive, frozen):
    content, _count = _export(actor_of(demo["wangfang"]))
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("名称")].value == "往返个人":
            row[header.index("地区")].value = "宁波"
            row[header.index("层级")].value = "重点"
            row[header.index("负责人工号")].value = "RE0001"
        if row[header.index("名称")].value == "往返重点单位":
            row[header.index("行业")].value = None  # an empty cell leaves the value as it is
    sheet.append(["", "往返新客户", "个人", "13900003333"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = _import(demo, actor_of, buffer.getvalue(), "update")
    assert job.status == ImportStatus.DONE, job.message
    assert job.new_rows == 1
    person = Customer.objects.get(pk=archive["person"].pk)
    assert (person.region, person.tier, person.owner) == ("宁波", "key", demo["wangfang"])
    changed = set(CustomerChange.objects.filter(customer=person).values_list("field", flat=True))
    # SEC-3: the level (and its period) follow the new tier; nothing else changed
    assert (
        {"region", "tier", "owner"}
        <= changed
        <= {"region", "tier", "owner", "confidentiality", "confidential_until"}
    )
    assert not CustomerChange.objects.filter(customer=archive["key"]).exists()
    assert Customer.objects.filter(name="往返新客户").count() == 1


def test_round_trip_of_a_masked_export(demo, actor_of, archive, frozen):
    # SEC-2: a reader without customer.view_full exports masks; a mask imported back means "unchanged"
    role = Role.objects.create(
        code="exporter", name="导出员", scope="subsidiary", permissions=["customer.view", "customer.export"]
    )
    RoleAssignment.objects.create(employee=demo["zhaomin"], role=role)
    content, _count = _export(actor_of(demo["zhaomin"]))
    assert "139****1111" in {r["手机"] for r in _sheet(content)}
    before = _snapshot()
    job = _import(demo, actor_of, content, "update")
    assert job.status == ImportStatus.DONE, job.message
    assert _snapshot() == before


def test_export_takes_the_customer_lists_filters(client, demo, actor_of, archive, frozen):
    content, count = _export(actor_of(demo["wangfang"]), q="往返", tier="key")
    assert count == 1 and [r["名称"] for r in _sheet(content)] == ["往返重点单位"]
    client.force_login(demo["wangfang"].user)
    listed = client.get("/customers/?q=%E5%BE%80%E8%BF%94&tier=strategic").content.decode()
    assert "/customers/governance/export/?q=%E5%BE%80%E8%BF%94&amp;tier=strategic" in listed
    page = client.get("/customers/governance/export/?q=往返&tier=strategic").content.decode()
    assert 'name="tier" value="strategic"' in page and 'id="export-filters"' in page
    response = client.post(
        "/customers/governance/export/", {"purpose": "战略客户", "q": "往返", "tier": "strategic"}
    )
    assert [r["名称"] for r in _sheet(response.getvalue())] == ["往返战略单位"]


def test_export_is_written_in_constant_memory(demo, actor_of, archive, frozen, monkeypatch):
    # issue 13: a 110,000-customer export took one web process to 1 GiB; rows now come from a chunked
    # iterator into openpyxl's write-only workbook (bench/export_memory.py measures the peak)
    chunks, modes = [], []
    iterator, workbook = QuerySet.iterator, sheets.Workbook

    def counted(self, chunk_size=None):
        chunks.append(chunk_size)
        return iterator(self, chunk_size=chunk_size)

    def recorded(*args, **kwargs):
        modes.append(kwargs.get("write_only", False))
        return workbook(*args, **kwargs)

    monkeypatch.setattr(QuerySet, "iterator", counted)
    monkeypatch.setattr(sheets, "Workbook", recorded)
    _content, count = _export(actor_of(demo["wangfang"]))
    assert count >= 3
    assert modes == [True] and chunks and all(chunks)


def test_import_asks_what_to_do_with_customers_already_in_the_archive(client, demo, frozen):
    client.force_login(demo["songyu"].user)
    page = client.get("/customers/governance/imports/").content.decode()
    assert 'name="existing" value="skip"' in page and 'name="existing" value="update"' in page
    assert "checked" not in page.split('name="existing"')[1][:80]  # nothing chosen for the importer
    upload = io.BytesIO(_workbook([["甲", "个人", "13800000066"]]))
    upload.name = "客户.xlsx"
    unit = Unit.objects.get(code="realty-cs")
    refused = client.post("/customers/governance/imports/", {"unit": unit.pk, "file": upload})
    assert refused.status_code == 200 and not ImportJob.objects.exists()
    api = Client()
    upload.seek(0)
    api.force_login(demo["songyu"].user)
    answer = api.post("/api/v1/customers/governance/imports", {"unit_id": unit.pk, "file": upload})
    assert answer.status_code in (400, 422) and not ImportJob.objects.exists()


def _workbook(rows, header=("名称", "类型", "手机", "层级", "负责人工号")) -> bytes:
    return workbook_of(list(header), rows)


def test_strategic_customers_can_be_imported(demo, actor_of, frozen):
    # CUS-2 "战略→集团高层": a group-level owner was refused as "not in this subsidiary"
    rows = [["战略导入", "单位", "057188880009", "战略", "HC0001"]]
    job = _import(demo, actor_of, _workbook(rows), "skip")
    assert job.status == ImportStatus.DONE, job.message
    assert Customer.objects.get(name="战略导入").owner == demo["zhangwei"]
    # a subsidiary owner breaks the same rule as on the customer form
    rows = [["战略导入二", "单位", "057188880010", "战略", "RE0001"]]
    job = _import(demo, actor_of, _workbook(rows), "skip")
    assert job.status == ImportStatus.FAILED and "集团高层" in job.message


def test_error_report_holds_only_the_bad_rows(demo, actor_of, frozen):
    rows = [["好一", "个人", "13800000071"], ["", "个人", "bad"], ["好二", "个人", "13800000072"]]
    job = _import(demo, actor_of, _workbook(rows), "skip")
    assert job.status == ImportStatus.FAILED
    report = list(
        load_workbook(io.BytesIO(bytes(job.error_report))).worksheets[0].iter_rows(values_only=True)
    )
    assert [r[0] for r in report[1:]] == [3]


def test_template_drop_downs_cover_every_row(client, demo):
    client.force_login(demo["songyu"].user)
    content = client.get("/customers/governance/imports/template.xlsx").content
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    ranges = [str(check.sqref) for check in sheet.data_validations.dataValidation]
    assert ranges and all(r.endswith("1048576") for r in ranges), ranges


def test_import_status_in_words_with_progress(client, demo, actor_of, frozen):
    # 排队中 / 检查中 n/N / 导入中 n/N / 已完成, with the progress bar the job records
    client.force_login(demo["songyu"].user)
    job = actions.start_import(
        actor_of(demo["songyu"]),
        unit=Unit.objects.get(code="realty-cs"),
        filename="进度.xlsx",
        content=_workbook([["甲", "个人", "13800000081"]]),
        existing="skip",
    )

    def shown(**state):
        ImportJob.objects.filter(pk=job.pk).update(**state)
        html = client.get(f"/customers/governance/imports/{job.pk}/", headers={"HX-Request": "true"})
        return html.content.decode()

    assert "排队中" in shown()
    checking = shown(status="running", total_rows=10, processed_rows=3)
    assert "检查中 3/10" in checking and 'value="3"' in checking
    assert "导入中 4/10" in shown(status="committing", created_rows=4)
    shown(status="queued", total_rows=0, processed_rows=0, created_rows=0)
    done = actions.run_import(job.pk)
    assert done.status == ImportStatus.DONE
    html = client.get(f"/customers/governance/imports/{job.pk}/").content.decode()
    assert "已完成" in html and "新增 1 位" in html
    assert "已完成" in client.get("/customers/governance/imports/").content.decode()
