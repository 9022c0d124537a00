"""EMG-4 photos of the scene ("reported from a phone … photos"): attached on the report form (all or
nothing) or on the command-centre page, images only (sniffed from the bytes, not the name), at most 10 per
incident, stored sealed (SEC-1), shown only to who sees the incident and the read audited (SEC-5);
the API takes a multipart upload and lists them in the detail."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kefu.cases.tests.test_api_attachments import media  # noqa: F401  files under tmp_path
from kefu.cases.tests.test_api_cases import bearer
from kefu.core import clock, sealed
from kefu.core.errors import Conflict, Invalid, NotFound
from kefu.core.models import AuditEvent
from kefu.emergency.actions import incidents as actions
from kefu.emergency.models import Incident, IncidentEvent, IncidentPhoto, IncidentStatus
from kefu.emergency.tests.test_incidents import ready  # noqa: F401  the fire plan and the slots

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 40 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64


def jpeg(name="现场.jpg", data=JPEG):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def _form(realty, **extra):
    occurred = clock.local() - timedelta(minutes=3)
    return {
        "unit": realty.pk,
        "plan_type": "fire",
        "title": "配电间冒烟",
        "occurred_at": occurred.strftime("%Y-%m-%dT%H:%M"),
        "place": "一层",
        **extra,
    }


def _report(act, realty):
    return actions.report(
        act("zhaomin"),
        unit=realty,
        plan_type="fire",
        title="售楼处配电间冒烟",
        occurred_at=clock.now() - timedelta(minutes=5),
    )


def test_emg4_photos_on_the_report_form_stored_sealed_and_shown_to_the_command_centre(
    ready,  # noqa: F811
    realty,
    demo,
    media,  # noqa: F811
):
    client = Client()
    client.force_login(demo["zhaomin"].user)
    form = client.get("/emergency/incidents/new/").content.decode()
    assert 'capture="environment"' in form and 'accept="image/*"' in form and "multipart/form-data" in form
    answer = client.post("/emergency/incidents/new/", _form(realty, photos=[jpeg(), jpeg("门口.png", PNG)]))
    assert answer.status_code == 302, answer.content.decode()
    incident = Incident.objects.get()
    photos = list(incident.photos.order_by("pk"))
    assert [(p.name, p.content_type) for p in photos] == [
        ("现场.jpg", "image/jpeg"),
        ("门口.png", "image/png"),
    ]
    on_disk = (media / photos[0].file.name).read_bytes()
    assert on_disk.startswith(sealed.MAGIC) and JPEG[:64] not in on_disk and b"JFIF" not in on_disk
    assert photos[0].file.name.startswith("emergency/") and "现场" not in photos[0].file.name
    assert (
        IncidentEvent.objects.filter(incident=incident, kind="photo", text__contains="上传现场照片").count()
        == 2
    )
    assert AuditEvent.objects.filter(action="emergency.incident.photo").count() == 2
    client.force_login(demo["wangfang"].user)  # the command centre
    page = client.get(f"/emergency/incidents/{incident.pk}/").content.decode()
    url = f"/emergency/incidents/{incident.pk}/photos/{photos[0].pk}/"
    assert url in page and "现场照片" in page and 'id="photo-form"' in page
    assert 'style="' not in page and "<script>" not in page
    shown = client.get(url)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert b"".join(shown.streaming_content) == JPEG
    read = AuditEvent.objects.filter(action="read.sensitive").order_by("-seq").first()
    assert read is not None and f"photo:{photos[0].pk}" in str(read.after)
    outsider = Client()
    outsider.force_login(demo["gaofeng"].user)  # another subsidiary's manager
    assert outsider.get(url).status_code == 404
    assert outsider.get(f"/emergency/incidents/{incident.pk}/photos/999999/").status_code == 404


def test_emg4_a_text_file_named_jpg_refuses_the_whole_report_in_chinese(ready, realty, demo, media):  # noqa: F811
    client = Client()
    client.force_login(demo["zhaomin"].user)
    fake = SimpleUploadedFile("现场.jpg", "这不是照片".encode(), content_type="image/jpeg")
    answer = client.post("/emergency/incidents/new/", _form(realty, photos=[jpeg(), fake]))
    assert answer.status_code == 400 and "不是照片" in answer.content.decode()
    assert not Incident.objects.exists() and not IncidentPhoto.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="emergency.incident").exists()
    assert not any(media.rglob("*.jpg"))


def test_emg4_photos_on_the_page_at_most_ten_not_when_archived(ready, act, realty, demo, media):  # noqa: F811
    incident = _report(act, realty)
    client = Client()
    client.force_login(demo["wangfang"].user)
    url = f"/emergency/incidents/{incident.pk}/"
    answer = client.post(url, {"what": "photo", "photos": [jpeg(f"{n}.jpg") for n in range(9)]})
    assert answer.status_code == 302 and incident.photos.count() == 9
    actions.add_photo(act("zhaomin"), incident, SimpleUploadedFile("x.heic", HEIC))  # the reporter, HEIC
    assert incident.photos.order_by("-pk").first().content_type == "image/heic"
    with pytest.raises(Invalid) as refused:  # the 11th
        actions.add_photo(act("wangfang"), incident, jpeg())
    assert "最多上传 10 张" in refused.value.message
    client.post(url, {"what": "photo", "photos": [jpeg()]})
    assert incident.photos.count() == 10
    with pytest.raises(NotFound):  # another subsidiary's manager does not see it
        actions.add_photo(act("gaofeng"), incident, jpeg())
    Incident.objects.filter(pk=incident.pk).update(status=IncidentStatus.ARCHIVED)
    IncidentPhoto.objects.filter(incident=incident).delete()
    with pytest.raises(Conflict):
        actions.add_photo(act("wangfang"), incident, jpeg())
    assert not IncidentPhoto.objects.exists()


def test_emg4_photo_api_upload_listed_and_downloaded(ready, act, realty, demo, media):  # noqa: F811
    incident = _report(act, realty)
    client = Client()
    auth = bearer(demo["wangfang"].user)
    base = f"/api/v1/emergency/incidents/{incident.pk}"
    answer = client.post(f"{base}/photos", {"file": jpeg("a.jpg")}, **auth)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["content_type"] == "image/jpeg" and body["size"] == len(JPEG)
    bad = client.post(f"{base}/photos", {"file": SimpleUploadedFile("b.jpg", b"hello")}, **auth)
    assert bad.status_code == 400 and "不是照片" in bad.content.decode()
    detail = client.get(base, **auth).json()
    assert [p["id"] for p in detail["photos"]] == [body["id"]]
    got = client.get(body["download"], **auth)
    assert got.status_code == 200 and b"".join(got.streaming_content) == JPEG
    outsider = bearer(demo["gaofeng"].user)
    assert client.post(f"{base}/photos", {"file": jpeg()}, **outsider).status_code == 404
    assert client.get(body["download"], **outsider).status_code == 404
    assert IncidentPhoto.objects.count() == 1
