"""Attachments through the case API (issue 5 UI/API "attachments with size/type limits"): the size
limit from the policy pack, the type whitelist checked against the file's first bytes, a sanitised
name, scoped and audited downloads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kefu.cases.actions.attachments import MAX_SIZE_KEY, clean_name, max_size
from kefu.cases.models import Attachment, Case
from kefu.cases.tests.test_api_cases import BODY, bearer
from kefu.core import sealed
from kefu.core.models import AuditEvent
from kefu.engine.policy.api import lookup

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    return tmp_path


@pytest.fixture
def case_of(demo, groups, frozen, media):
    """A new consultation and a client for its owner."""
    client = Client()
    made = client.post(
        "/api/v1/cases", BODY, content_type="application/json", **bearer(demo["zhaomin"].user)
    ).json()
    owner = Case.objects.get(pk=made["id"]).owner
    return made["id"], bearer(owner.user)


def _upload(client, case_id, auth, name, content, content_type="application/octet-stream"):
    return client.post(
        f"/api/v1/cases/{case_id}/attachments",
        {"file": SimpleUploadedFile(name, content, content_type=content_type)},
        **auth,
    )


@pytest.mark.django_db
def test_api_upload_list_and_audited_download(case_of, demo, media):  # API, SEC-5
    case_id, auth = case_of
    client = Client()
    answer = _upload(client, case_id, auth, "../../现场照片<1>.png", PNG, "text/html")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["name"] == "现场照片_1_.png" and body["content_type"] == "image/png"
    assert body["size"] == len(PNG)
    stored = Attachment.objects.get(pk=body["id"])
    assert "现场照片" not in stored.file.name and stored.file.name.startswith("cases/")
    assert (media / stored.file.name).read_bytes().startswith(sealed.MAGIC)  # SEC-1: sealed on disk
    listed = client.get(f"/api/v1/cases/{case_id}/attachments", **auth).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]
    assert client.get(f"/api/v1/cases/{case_id}", **auth).json()["attachments"][0]["id"] == body["id"]

    reads = AuditEvent.objects.filter(action="read.sensitive").count()
    fetched = client.get(body["download"], **auth)
    assert fetched.status_code == 200 and b"".join(fetched.streaming_content) == PNG
    assert fetched["Content-Type"] == "image/png" and fetched["X-Content-Type-Options"] == "nosniff"
    assert fetched["Content-Disposition"].startswith("attachment")
    assert AuditEvent.objects.filter(action="read.sensitive").count() == reads + 1
    assert AuditEvent.objects.filter(action="cases.attachment").exists()
    # out of scope: 404, and no file
    outsider = bearer(demo["lvxin"].user)
    assert client.get(body["download"], **outsider).status_code == 404
    assert client.get(f"/api/v1/cases/{case_id}/attachments", **outsider).status_code == 404
    assert _upload(client, case_id, outsider, "x.png", PNG).status_code == 404
    # an attachment id of another case is not found under this one
    other = client.post("/api/v1/cases", BODY, content_type="application/json", **auth).json()
    supervisor = bearer(demo["lina"].user)  # sees both cases
    assert client.get(body["download"], **supervisor).status_code == 200
    crossed = client.get(f"/api/v1/cases/{other['id']}/attachments/{body['id']}/download", **supervisor)
    assert crossed.status_code == 404


@pytest.mark.django_db
def test_api_upload_limits(case_of):  # API, CASE-1 (attachments with size and type limits)
    case_id, auth = case_of
    client = Client()

    def refused(name, content, code):
        answer = _upload(client, case_id, auth, name, content)
        assert answer.status_code == 400, (name, answer.content)
        error = answer.json()["error"]
        assert error["code"] == code and error["messages"]["zh-hans"] and error["messages"]["en"]

    refused("setup.exe", b"MZ\x90\x00" + b"\x00" * 32, "case_attachment_type")
    refused("page.html", b"<html><script>alert(1)</script>", "case_attachment_type")
    refused("photo.png", b"<svg onload=alert(1)>", "case_attachment_content")
    refused("report.pdf", PNG, "case_attachment_content")
    refused("notes.txt", b"binary\x00data", "case_attachment_content")
    refused("empty.pdf", b"", "case_attachment_empty")
    limit = int(lookup(MAX_SIZE_KEY).value) * 1024 * 1024
    assert max_size(Case.objects.get(pk=case_id)) == limit
    refused("big.pdf", PDF + b"0" * (limit - len(PDF) + 1), "case_attachment_too_large")
    assert _upload(client, case_id, auth, "exactly.pdf", PDF + b"0" * (limit - len(PDF))).status_code == 201
    assert _upload(client, case_id, auth, "说明.TXT", "客户说明".encode()).status_code == 201
    missing = client.post(f"/api/v1/cases/{case_id}/attachments", {}, **auth)
    assert missing.status_code == 422 and missing.json()["error"]["code"] == "invalid_input"
    assert Attachment.objects.filter(case_id=case_id).count() == 2


@pytest.mark.django_db
def test_supervisory_only_role_views_and_comments_but_uploads_nothing(case_of, demo):
    # ORG-4 "只有督导权没有行政权": 唐宁 (督导, group-wide case.view and case.comment) uploaded files
    case_id, _ = case_of
    client, tangning = Client(), bearer(demo["tangning"].user)
    answer = _upload(client, case_id, tangning, "督导意见.png", PNG)
    assert answer.status_code == 403, answer.content
    assert answer.json()["error"]["code"] == "ORG-4.supervisory_only"
    assert not Attachment.objects.filter(case_id=case_id).exists()
    # what the role lists stays open to her: viewing and commenting
    assert client.get(f"/api/v1/cases/{case_id}", **tangning).status_code == 200
    note = client.post(
        f"/api/v1/cases/{case_id}/comments",
        {"body": "请尽快回复客户"},
        content_type="application/json",
        **tangning,
    )
    assert note.status_code == 201, note.content
    # a reply to the customer is handling, not commenting
    reply = client.post(
        f"/api/v1/cases/{case_id}/comments",
        {"body": "您好", "public": True},
        content_type="application/json",
        **tangning,
    )
    assert reply.status_code == 403
    # the case page offers her the comment form but no upload form (a refused button is an untrue screen)
    client.force_login(demo["tangning"].user)
    page = client.get(f"/cases/{case_id}/").content.decode()
    assert 'id="comment-form"' in page
    assert 'id="attach-form"' not in page
    client.force_login(Case.objects.get(pk=case_id).owner.user)
    assert 'id="attach-form"' in client.get(f"/cases/{case_id}/").content.decode()


def test_clean_name_strips_paths_controls_and_keeps_the_extension():  # API
    assert clean_name("C:\\Users\\x\\报告.pdf") == "报告.pdf"
    assert clean_name("..\x00/..//.hidden.txt") == "hidden.txt"
    assert clean_name("a\r\nb.pdf") == "a_b.pdf"
    long = clean_name("长" * 300 + ".pdf")
    assert len(long) == 200 and long.endswith(".pdf")
    assert clean_name("") == ""
