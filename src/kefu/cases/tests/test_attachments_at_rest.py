"""SEC-1 for case attachments: the file on disk is sealed (AES-GCM) and holds none of what was
uploaded; the API and the page hand back the original. A file stored in clear before sealing is still
served, and `kefu migrate` (sealed.encrypt_legacy_files) seals it in place."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kefu.cases.models import Attachment
from kefu.cases.tests import test_api_attachments as attachments_api
from kefu.core import clock, sealed

case_of, media = attachments_api.case_of, attachments_api.media  # fixtures: a new case, files under tmp_path

NOTE = "客户王先生反映：手机 13966660031，身份证 110101199003074514。\n".encode()
NOTE_FILE = NOTE * 3000  # about 270 KB: several chunks


def downloaded(client, url, auth) -> tuple[bytes, str]:
    answer = client.get(url, **auth)
    assert answer.status_code == 200
    return b"".join(answer.streaming_content), answer["Content-Length"]


@pytest.mark.django_db
def test_sec1_an_uploaded_file_is_sealed_on_disk_and_downloads_as_uploaded(case_of, media, demo):  # SEC-1
    case_id, auth = case_of
    client = Client()
    body = attachments_api._upload(client, case_id, auth, "来电记录.txt", NOTE_FILE, "text/plain").json()
    row = Attachment.objects.get(pk=body["id"])
    on_disk = (media / row.file.name).read_bytes()
    assert on_disk.startswith(sealed.MAGIC)
    assert b"13966660031" not in on_disk and "王先生".encode() not in on_disk
    assert downloaded(client, body["download"], auth) == (NOTE_FILE, str(len(NOTE_FILE)))
    client.force_login(row.case.owner.user)  # the case page's download link
    page = client.get(f"/cases/{case_id}/attachments/{row.pk}/")
    assert b"".join(page.streaming_content) == NOTE_FILE


@pytest.mark.django_db
def test_sec1_a_file_stored_in_clear_before_is_served_and_sealed_by_migrate(case_of, media):  # SEC-1
    case_id, auth = case_of
    row = Attachment(
        case_id=case_id, name="旧附件.txt", content_type="text/plain", size=len(NOTE), at=clock.now()
    )
    row.file.save("old.txt", SimpleUploadedFile("old.txt", NOTE), save=True)  # as attach() stored it before
    assert (media / row.file.name).read_bytes() == NOTE
    url = f"/api/v1/cases/{case_id}/attachments/{row.pk}/download"
    client = Client()
    assert downloaded(client, url, auth) == (NOTE, str(len(NOTE)))
    assert sealed.encrypt_legacy_files() == 1
    on_disk = (media / row.file.name).read_bytes()
    assert on_disk.startswith(sealed.MAGIC) and b"13966660031" not in on_disk
    assert downloaded(client, url, auth) == (NOTE, str(len(NOTE)))
    assert sealed.encrypt_legacy_files() == 0  # sealed files are recognised and left alone
