"""QA-1 recordings: call recordings are case attachments of the common audio types (extension and first
bytes), served inline through the scoped download so the inspection page plays them; AMR is stored and
the page says Chromium cannot play it."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kefu.cases.actions import attachments
from kefu.core.errors import Invalid
from kefu.quality.demo import recording

pytestmark = pytest.mark.django_db

SAMPLES = {
    "call.wav": (None, "audio/wav"),
    "call.mp3": (b"ID3\x03\x00" + b"\x00" * 40, "audio/mpeg"),
    "call.ogg": (b"OggS\x00" + b"\x00" * 40, "audio/ogg"),
    "call.m4a": (b"\x00\x00\x00\x20ftypM4A " + b"\x00" * 40, "audio/mp4"),
    "call.aac": (b"\xff\xf1\x50\x80" + b"\x00" * 40, "audio/aac"),
    "call.amr": (b"#!AMR\n" + b"\x00" * 40, "audio/amr"),
}


def _upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_audio_types_accepted_by_extension_and_content_QA1(demo, act, closed_case):
    case = closed_case()
    for name, (content, mime) in SAMPLES.items():
        row = attachments.attach(act("zhaomin"), case, _upload(name, content or recording(0.2)))
        assert row.content_type == mime, name
    with pytest.raises(Invalid):  # a WAV that is not one
        attachments.attach(act("zhaomin"), case, _upload("fake.wav", b"RIFF\x00\x00\x00\x00AVI LIST"))
    with pytest.raises(Invalid):
        attachments.attach(act("zhaomin"), case, _upload("fake.m4a", io.BytesIO(b"x" * 40).getvalue()))


def test_inspection_page_plays_recordings_and_explains_amr_QA1(demo, act, task):
    attachments.attach(act("zhaomin"), task.case, _upload("录音.wav", recording(0.5)))
    attachments.attach(act("zhaomin"), task.case, _upload("录音.amr", SAMPLES["call.amr"][0]))
    client = Client()
    client.force_login(demo["zhouqiang"].user)
    html = client.get(f"/quality/inspections/{task.pk}/").content.decode()
    assert html.count("<audio controls") == 1 and "Chromium" in html and "AMR" in html
    wav = task.case.attachments.get(name="录音.wav")
    response = client.get(f"/cases/{task.case_id}/attachments/{wav.pk}/")
    assert response.status_code == 200 and "attachment" not in response["Content-Disposition"]
    other = Client()
    other.force_login(demo["gaofeng"].user)
    assert other.get(f"/cases/{task.case_id}/attachments/{wav.pk}/").status_code == 404
