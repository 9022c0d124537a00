"""VEN-1 through the API (/api/v1/vendors/filings): a filing entered, materials uploaded as multipart
(type sniffed), submission refused naming what is missing, then the review to a certificate PDF; errors
come as {"error": {...}} with a Chinese message; out of scope is 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kefu.cases.tests.test_api_cases import bearer
from kefu.vendors.models import MaterialKind
from kefu.vendors.tests.conftest import PDF, code

pytestmark = pytest.mark.django_db


def _post(client, path, body, headers):
    return client.post(path, body, content_type="application/json", **headers)


def test_ven1_api_filing_materials_review_certificate(demo, realty, media):  # VEN-1
    client = Client()
    vendor, reviewer, other = (
        bearer(demo["wangfang"].user),
        bearer(demo["zhangwei"].user),
        bearer(demo["gaofeng"].user),
    )
    made = _post(
        client,
        "/api/v1/vendors/filings",
        {
            "unit_id": realty.pk,
            "name": "接口外包客服有限公司",
            "credit_code": code("91330106MA2APQ001"),
            "registered_capital": "800000.50",
            "contact_name": "接口联系人",
            "contact_phone": "13900000011",
        },
        vendor,
    )
    assert made.status_code == 201, made.content
    filing = made.json()
    assert filing["registered_capital"] == "800000.50" and len(filing["missing"]) == 6
    base = f"/api/v1/vendors/filings/{filing['id']}"
    refused = _post(client, f"{base}/submit", {}, vendor)
    assert refused.status_code == 400 and "营业执照" in refused.json()["error"]["message"]
    bad = client.post(f"{base}/materials", {"kind": "licence", "file": _file(b"plain text")}, **vendor)
    assert bad.status_code == 400 and "PDF" in bad.json()["error"]["message"]
    for kind in MaterialKind:
        up = client.post(f"{base}/materials", {"kind": kind.value, "file": _file(PDF)}, **vendor)
        assert up.status_code == 201, up.content
    assert client.get(up.json()["download"], **other).status_code == 404
    assert client.get(up.json()["download"], **vendor).status_code == 200
    assert _post(client, f"{base}/submit", {}, vendor).json()["status"] == "submitted"
    asked = _post(client, f"{base}/supplements", {"reason": "请补充信用证明", "kinds": ["credit"]}, reviewer)
    assert asked.status_code == 200 and asked.json()["status"] == "supplement"
    assert _post(client, f"{base}/supplements/answer", {"note": "无"}, vendor).status_code == 400
    client.post(f"{base}/materials", {"kind": "credit", "file": _file(PDF)}, **vendor)
    assert (
        _post(client, f"{base}/supplements/answer", {"note": "已补"}, vendor).json()["status"] == "submitted"
    )
    assert _post(client, f"{base}/approve", {"note": ""}, vendor).status_code == 403
    approved = _post(client, f"{base}/approve", {"note": "同意"}, reviewer)
    assert approved.json()["status"] == "approved" and approved.json()["certificates"][0][
        "number"
    ].startswith("WB-")
    pdf = client.get(f"{base}/certificate.pdf", **vendor)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    report = _post(
        client, f"{base}/reports", {"summary": "正常", "revenue": "100.00", "staff_count": 3}, vendor
    )
    assert report.status_code == 201 and report.json()["review"] == "on_time"
    inspection = _post(client, f"{base}/inspections", {"result": "passed", "note": ""}, reviewer)
    assert inspection.status_code == 201
    assert client.get(base, **other).status_code == 404


def _file(data: bytes):
    return SimpleUploadedFile("材料.pdf", data, content_type="application/pdf")
