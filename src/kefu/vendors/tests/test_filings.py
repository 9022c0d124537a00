"""VEN-1 filing and materials (seed 000 中通外包客服备案流程: "外包公司或机构首先需要准备备案申请材料,包括公司基本信息、
申请人身份证明、合同文件等…确保材料的完整性和准确性"; 三、备案要求: 营业执照和注册资本, 合同文件, 信息安全管理措施,
信用证明): entered by vendors.manage within its subsidiary, materials sniffed and sized and stored sealed, each
view audited, submission refused until every required material is there."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from kefu.core import sealed
from kefu.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from kefu.core.models import AuditEvent
from kefu.vendors.actions import filings
from kefu.vendors.models import Filing, FilingStatus, Material, MaterialKind
from kefu.vendors.queries import filings as queries
from kefu.vendors.tests.conftest import JPEG, PNG, attach_all, code, upload

pytestmark = pytest.mark.django_db


def test_ven1_filing_entered_with_capital_in_yuan_and_contact_encrypted(draft):  # VEN-1
    assert draft.status == FilingStatus.DRAFT and draft.registered_capital == Decimal("3000000.00")
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_name, contact_phone FROM vendors_filing WHERE id = %s", [draft.pk])
        raw = cursor.fetchone()
    assert "陈测试" not in raw[0] and "13900000001" not in raw[1]  # SEC-1: ciphertext at rest
    assert Filing.objects.get(pk=draft.pk).contact_name == "陈测试"
    row = AuditEvent.objects.get(action="vendors.filing.create", object_id=str(draft.pk))
    assert "陈测试" not in str(row.after) and "13900000001" not in str(row.after)


def test_ven1_filing_refuses_a_bad_credit_code_and_a_second_filing(act, realty, draft):  # VEN-1
    with pytest.raises(Invalid) as bad:
        filings.create(
            act("wangfang"),
            unit=realty,
            name="甲",
            credit_code="91330106MA2TEXT010",
            registered_capital="1",
            contact_name="乙",
            contact_phone="13900000002",
        )
    assert "统一社会信用代码" in bad.value.message
    with pytest.raises(Conflict):
        filings.create(
            act("wangfang"),
            unit=realty,
            name="甲",
            credit_code=code(),
            registered_capital="1",
            contact_name="乙",
            contact_phone="13900000002",
        )


def test_ven1_filing_only_within_the_managers_subsidiary(act, water, media):  # VEN-1 ORG-3
    with pytest.raises(NotFound):
        filings.create(
            act("wangfang"),
            unit=water,
            name="甲",
            credit_code=code("91330106MA2TEXT02"),
            registered_capital="1",
            contact_name="乙",
            contact_phone="13900000002",
        )
    with pytest.raises(PermissionDenied):  # an agent holds no vendors.manage
        filings.create(
            act("zhaomin"),
            unit=water,
            name="甲",
            credit_code=code("91330106MA2TEXT02"),
            registered_capital="1",
            contact_name="乙",
            contact_phone="13900000002",
        )


def test_ven1_submission_refused_naming_every_missing_material(act, draft):  # VEN-1
    me = act("wangfang")
    with pytest.raises(Invalid) as refused:
        filings.submit(me, draft)
    assert "营业执照" in refused.value.message and "信用证明" in refused.value.message
    attach_all(me, draft, [k for k in MaterialKind if k != MaterialKind.SECURITY])
    with pytest.raises(Invalid) as refused:
        filings.submit(me, draft)
    assert refused.value.message == "备案材料不全，还缺少：信息安全管理措施。请上传后再提交"
    attach_all(me, draft, [MaterialKind.SECURITY])
    assert filings.submit(me, draft).status == FilingStatus.SUBMITTED
    with pytest.raises(Conflict):  # submitted: no more uploads outside a supplement
        filings.add_material(me, draft, kind="licence", upload=upload())


def test_ven1_material_type_sniffed_from_the_bytes_and_size_limited(act, draft, settings):  # VEN-1
    me = act("wangfang")
    with pytest.raises(Invalid) as refused:
        filings.add_material(
            me, draft, kind="licence", upload=upload("执照.pdf", b"MZ\x90\x00 not a pdf" * 10)
        )
    assert "PDF、JPEG 或 PNG" in refused.value.message
    jpeg = filings.add_material(
        me, draft, kind="applicant_id", upload=upload("身份证.pdf", JPEG, "application/pdf")
    )
    assert jpeg.content_type == "image/jpeg" and jpeg.file.name.endswith(".jpg")
    png = filings.add_material(me, draft, kind="credit", upload=upload("信用.png", PNG, "image/png"))
    assert png.content_type == "image/png"
    big = upload("大文件.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 + 1))
    with pytest.raises(Invalid) as refused:
        filings.add_material(me, draft, kind="licence", upload=big)
    assert "10 MB" in refused.value.message
    with pytest.raises(Invalid):
        filings.add_material(me, draft, kind="nonsense", upload=upload())


def test_ven1_material_stored_sealed_and_each_view_audited(act, demo, draft):  # VEN-1 SEC-1 SEC-5
    row = filings.add_material(act("wangfang"), draft, kind="licence", upload=upload())
    with row.file.open("rb") as stored:
        assert sealed.is_sealed(stored.read(64))  # never the plaintext at rest
    client = Client()
    client.force_login(demo["wangfang"].user)
    response = client.get(f"/vendors/{draft.pk}/materials/{row.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    reads = AuditEvent.objects.filter(object_id=str(draft.pk), after__fields=[f"material:{row.pk}"])
    assert reads.count() == 1
    other = Client()
    other.force_login(demo["gaofeng"].user)  # 华辰水务's manager: out of scope, no existence leak
    assert other.get(f"/vendors/{draft.pk}/materials/{row.pk}/").status_code == 404
    assert other.get(f"/vendors/{draft.pk}/").status_code == 404


def test_ven1_filings_seen_within_scope(act, draft):  # VEN-1 ORG-3
    assert list(queries.filings(act("wangfang"))) == [draft]
    assert list(queries.filings(act("zhangwei"))) == [draft]  # the group office reviews group-wide
    assert not queries.filings(act("gaofeng")).exists()
    assert not queries.filings(act("zhaomin")).exists()
    assert Material.objects.count() == 0
