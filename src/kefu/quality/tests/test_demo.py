"""`kefu demo load` gives 周强 this week's sampled calls of 赵敏 with their recordings: one scored and
published to 赵敏, the others waiting — and the quality pages in Chinese (QA-1)."""

from datetime import datetime, timedelta, timezone

import pytest
from django.test import Client
from tests.pages.test_chinese_only import latin_shown

from kefu import demo as demo_data
from kefu.core import clock
from kefu.quality.demo import load_quality, recording
from kefu.quality.models import Inspection, InspectionState

NAMES = {"zhaomin", "zhouqiang", "wangfang", "tangning"}


def test_demo_quality_QA1(demo, admin_actor, groups):
    result = load_quality(admin_actor)
    assert result["inspections"] >= 2
    found = list(Inspection.objects.filter(inspector=demo["zhouqiang"]))
    published = [i for i in found if i.state == InspectionState.PUBLISHED]
    waiting = [i for i in found if i.state == InspectionState.ASSIGNED]
    assert len(published) == 1 and published[0].agent == demo["zhaomin"] and published[0].total < 100
    assert any(i.case.attachments.filter(content_type="audio/wav").exists() for i in waiting)
    pages = {
        "zhouqiang": ["/quality/", f"/quality/inspections/{waiting[0].pk}/", "/quality/calibrations/"],
        "zhaomin": ["/quality/mine/", f"/quality/inspections/{published[0].pk}/"],
        "wangfang": ["/quality/scorecards/", f"/quality/inspections/{published[0].pk}/"],
        "tangning": [f"/quality/inspections/{published[0].pk}/"],
    }
    for who, urls in pages.items():
        client = Client()
        client.force_login(demo[who].user)
        for page in urls:
            response = client.get(page)
            html = response.content.decode()
            assert response.status_code == 200, (who, page)
            assert not latin_shown(html, NAMES), (who, page, latin_shown(html, NAMES))
    client = Client()
    client.force_login(demo["zhouqiang"].user)
    html = client.get(f"/quality/inspections/{waiting[0].pk}/").content.decode()
    assert "<audio controls" in html and "十字服务用语" in html
    audio = waiting[0].case.attachments.get()
    response = client.get(f"/cases/{audio.case_id}/attachments/{audio.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    assert b"".join(response.streaming_content)[:4] == b"RIFF"
    assert "inline" in response.get("Content-Disposition", "inline")
    other = Client()
    other.force_login(demo["lvxin"].user)  # another subsidiary's agent: neither the page nor the file
    assert other.get(f"/quality/inspections/{waiting[0].pk}/").status_code == 404
    assert other.get(f"/cases/{audio.case_id}/attachments/{audio.pk}/").status_code == 404
    assert load_quality(admin_actor) == {"inspections": 0}
    assert recording()[:4] == b"RIFF"


@pytest.mark.parametrize("hour", [3, 17])
def test_the_whole_demo_loads_at_any_hour(admin_user, hour):  # QA-1, WFM-1
    """The demo's calls are routed by the published rota of its last four weeks: 赵敏 answers them when
    she is on shift, whatever the hour `kefu demo load` runs at."""
    clock.freeze(datetime(2026, 12, 5, hour, 30, tzinfo=timezone(timedelta(hours=8))))
    assert demo_data.load()["created"]
    recorded = Inspection.objects.filter(agent__user__username="zhaomin", case__attachments__isnull=False)
    assert recorded.exists()
