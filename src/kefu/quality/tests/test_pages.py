"""QA-1 pages and API: 周强 scores and publishes on the inspection page, 赵敏 appeals on hers, 唐宁 rules
on the ruling form; the scorecard page saves a new version; the API answers with the same rules."""

import pytest
from django.test import Client

from kefu.quality.models import Inspection, InspectionState, Scorecard

pytestmark = pytest.mark.django_db


def _client(demo, who):
    client = Client()
    client.force_login(demo[who].user)
    return client


def _form(task, **by_name):
    data = {"what": "score", "comment": "整体良好"}
    for item in task.scorecard.items.all():
        if item.fatal:
            continue
        data[f"score_{item.pk}"] = str(by_name.get(item.name, item.max_score))
        data[f"comment_{item.pk}"] = "好"
    return data


def test_inspect_publish_appeal_rule_through_the_pages_QA1(demo, task):
    page = f"/quality/inspections/{task.pk}/"
    zhou = _client(demo, "zhouqiang")
    assert task.case.number in zhou.get("/quality/").content.decode()
    bad = zhou.post(
        page, {**_form(task), f"score_{task.scorecard.items.exclude(fatal=True).first().pk}": "99"}
    )
    assert bad.status_code == 400 and "之间" in bad.content.decode()
    assert zhou.post(page, _form(task, 三声服务=5)).status_code == 302
    assert zhou.post(page, {"what": "publish"}).status_code == 302
    assert Inspection.objects.get(pk=task.pk).state == InspectionState.PUBLISHED
    zhao = _client(demo, "zhaomin")
    assert str(task.case.number) in zhao.get("/quality/mine/").content.decode()
    assert "appeal-form" in zhao.get(page).content.decode()
    assert zhao.post(page, {"what": "appeal", "reason": "已说再见"}).status_code == 302
    assert zhou.post(page, {"what": "rule", "outcome": "upheld", "ruling": "x"}).status_code == 403
    tang = _client(demo, "tangning")
    assert "rule-form" in tang.get(page).content.decode()
    ruled = tang.post(page, {"what": "rule", "outcome": "adjusted", "total": "96", "ruling": "录音有再见"})
    assert ruled.status_code == 302
    found = Inspection.objects.get(pk=task.pk)
    assert found.state == InspectionState.RULED and str(found.total) == "96.0"
    assert _client(demo, "sunli").get(page).status_code == 404


def test_scorecard_page_saves_a_new_version_QA1(demo):
    wang = _client(demo, "wangfang")
    html = wang.get("/quality/scorecards/").content.decode()
    assert "您好、请、谢谢、对不起、再见" in html and "本系统默认值" in html
    data = {"what": "card", "name": "置业质检评分表", "rows": "2", "name_0": "十字服务用语", "weight_0": "50"}
    data |= {"max_0": "10", "name_1": "六不准", "fatal_1": "on"}
    assert wang.post("/quality/scorecards/", data).status_code == 302
    card = Scorecard.objects.get(unit=demo["wangfang"].unit.parent, active=True)
    assert card.version == 1 and [i.fatal for i in card.items.all()] == [False, True]
    assert _client(demo, "zhaomin").get("/quality/scorecards/").status_code == 403


def test_api_score_and_appeal_QA1(demo, task):
    zhou = _client(demo, "zhouqiang")
    url = f"/api/v1/quality/inspections/{task.pk}"
    scores = [
        {"item_id": i.pk, "score": i.max_score, "violated": False, "comment": ""}
        for i in task.scorecard.items.all()
    ]
    response = zhou.post(f"{url}/score", {"scores": scores}, content_type="application/json")
    assert response.status_code == 200 and response.json()["total"] == "100.0"
    assert zhou.post(f"{url}/publish", content_type="application/json").status_code == 200
    zhao = _client(demo, "zhaomin")
    mine = zhao.get("/api/v1/quality/inspections?view=mine").json()
    assert [r["id"] for r in mine["items"]] == [task.pk]
    response = zhao.post(f"{url}/appeal", {"reason": "不服"}, content_type="application/json")
    assert response.status_code == 201
    again = zhao.post(f"{url}/appeal", {"reason": "不服"}, content_type="application/json")
    assert again.status_code == 400 and again.json()["error"]["code"]
    assert _client(demo, "lvxin").get(url).status_code == 404
    schema = zhou.get("/api/v1/openapi.json").json()
    assert "/api/v1/quality/inspections/{inspection_id}/rule" in schema["paths"]
