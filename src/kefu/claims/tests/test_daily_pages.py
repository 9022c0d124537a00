"""Daily registration submission pages and API (CLM-12): the explicit once-a-day submission, the
managers' overview of the last working days with missing days in red, refusals and the envelope."""

from datetime import date, timedelta

import pytest
from django.test import Client

from kefu.claims import actions
from kefu.claims.models import DailySubmission
from kefu.core import clock
from kefu.org.models import Unit

from .test_api import bearer

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 2)  # the `frozen` instant: Monday 10:00 in Shanghai


def login(demo, username) -> Client:
    client = Client()
    client.force_login(demo[username].user)
    return client


@pytest.fixture
def realty(db):
    return Unit.objects.get(name="华辰置业有限公司")


def test_clm12_responsible_person_submits_the_day_once(demo, realty, frozen):
    client = login(demo, "huanglei")
    assert "/claims/daily/" in client.get("/claims/").content.decode()  # link from 我的报备
    form = client.get("/claims/daily/submit/").content.decode()
    assert 'id="daily-form"' in form and 'value="2026-03-02"' in form and "华辰置业有限公司" in form
    vague = client.post("/claims/daily/submit/", {"unit": realty.pk, "day": "2026-03-02"})
    body = vague.content.decode()
    assert (
        vague.status_code == 400
        and "今日无新增客户" in body
        and "state explicitly that there were none" not in body
    )
    nameless = client.post(
        "/claims/daily/submit/",
        {
            "unit": realty.pk,
            "day": "2026-03-02",
            "customer_name": ["甲", ""],
            "customer_phone": ["", "13812345678"],
        },
    )
    body = nameless.content.decode()
    assert nameless.status_code == 400 and "客户姓名必填" in body and "Each customer needs a name" not in body
    assert 'value="甲"' in body and 'value="13812345678"' in body  # the rows are kept
    done = client.post(
        "/claims/daily/submit/",
        {
            "unit": realty.pk,
            "day": "2026-03-02",
            "customer_name": ["甲", "乙"],
            "customer_phone": ["13812345678", ""],
        },
    )
    assert done.status_code == 302 and done["Location"] == "/claims/daily/"
    saved = DailySubmission.objects.get(unit=realty, day=TODAY)
    assert saved.customers == [{"name": "甲", "phone": "138****5678"}, {"name": "乙", "phone": ""}]
    again = client.post("/claims/daily/submit/", {"unit": realty.pk, "day": "2026-03-02", "none_today": "1"})
    body = again.content.decode()
    assert again.status_code == 409 and "已填报" in body and "has already been submitted" not in body


@pytest.mark.parametrize(
    "day, zh, en",
    [("2026-03-03", "不能为未来的日期填报", "has not come yet"), ("2026-13-01", "日期无效", "Invalid date")],
)
def test_clm12_bad_days_re_render(demo, realty, frozen, day, zh, en):
    answer = login(demo, "majun").post(
        "/claims/daily/submit/", {"unit": realty.pk, "day": day, "none_today": "1"}
    )
    body = answer.content.decode()
    assert answer.status_code == 400 and zh in body and en not in body and "checked" in body


def test_clm12_overview_flags_missing_days_in_red(demo, act, realty, frozen):
    actions.submit_daily(act("majun"), unit=realty, day=date(2026, 2, 27), customers=[], none_today=True)
    actions.submit_daily(
        act("majun"),
        unit=realty,
        day=TODAY,
        customers=[{"name": "甲", "phone": "13812345678"}],
        none_today=False,
    )
    page = login(demo, "majun").get("/claims/daily/", {"days": "5"}).content.decode()
    grid = page.split('id="daily-grid"')[1]
    assert "华辰置业有限公司" in grid and "华辰水务" not in grid  # 行政部 of 华辰置业 only
    assert 'data-day="2026-03-02" data-status="submitted"' in grid
    assert 'data-day="2026-02-27" data-status="none_today"' in grid
    assert (
        'data-day="2026-02-28" data-status="missing"' in grid
    )  # the 调休 make-up Saturday was a working day
    assert "badge-missing" in grid and "claims/claims.css" in page
    assert grid.count("<th>") == 1 + 5  # unit column and the last five working days


def test_clm12_flagged_day_and_pending_today(demo, realty, frozen):
    from kefu.engine.schedules import actions as schedule_actions

    schedule_actions.sweep()  # Monday's check flags the previous working day for every unit
    page = login(demo, "majun").get("/claims/daily/").content.decode()
    assert 'data-status="pending"' in page and "已标记" in page


def test_clm12_pages_refused_to_people_without_the_duty(demo, frozen):
    for username in ("zhaomin", "lvxin"):  # no claim permission: neither submits nor oversees
        client = login(demo, username)
        assert client.get("/claims/daily/").status_code == 403
        assert client.get("/claims/daily/submit/").status_code == 403
    water = Unit.objects.get(name="华辰水务有限公司")
    answer = login(demo, "huanglei").post("/claims/daily/submit/", {"unit": water.pk, "none_today": "1"})
    assert answer.status_code == 404  # another company's form: like a unit that does not exist (issue 10)
    assert (
        login(demo, "huanglei").post("/claims/daily/submit/", {"unit": "x", "none_today": "1"}).status_code
        == 404
    )


def test_clm12_api_submit_and_overview(demo, realty, frozen):
    client = Client()
    majun = bearer(demo["majun"].user)
    url = "/api/v1/claims/daily"
    vague = client.post(url, {"unit_id": realty.pk}, content_type="application/json", **majun)
    assert vague.status_code == 400 and vague.json()["error"]["code"] == "claim_daily_choice"
    created = client.post(
        url, {"unit_id": realty.pk, "none_today": True}, content_type="application/json", **majun
    )
    assert (
        created.status_code == 201 and created.json()["day"] == "2026-03-02" and created.json()["none_today"]
    )
    twice = client.post(
        url, {"unit_id": realty.pk, "none_today": True}, content_type="application/json", **majun
    )
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "claim_daily_exists"
    listed = {
        "unit_id": realty.pk,
        "day": "2026-02-27",
        "customers": [{"name": "甲", "phone": "13812345678"}],
    }
    late = client.post(url, listed, content_type="application/json", **majun)
    assert late.status_code == 201 and late.json()["customers"] == [{"name": "甲", "phone": "138****5678"}]
    overview = client.get(url, {"days": 3}, **majun)
    assert overview.status_code == 200
    data = overview.json()
    assert data["days"] == ["2026-03-02", "2026-02-28", "2026-02-27"]
    (row,) = [u for u in data["units"] if u["unit_id"] == realty.pk]
    assert [d["status"] for d in row["days"]] == ["none_today", "missing", "submitted"] and row[
        "missing"
    ] == 1
    assert client.get(url, {"days": 0}, **majun).status_code == 422
    assert client.get(url, {"days": 61}, **majun).status_code == 422
    zhaomin = bearer(demo["zhaomin"].user)
    refused = client.post(
        url, {"unit_id": realty.pk, "none_today": True}, content_type="application/json", **zhaomin
    )
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert client.get(url, **zhaomin).json()["units"] == []
    unknown = client.post(
        url, {"unit_id": 10**30, "none_today": True}, content_type="application/json", **majun
    )
    assert unknown.status_code == 422  # beyond 64 bits: refused as input (issue 10), not looked up
    assert "/api/v1/claims/daily" in client.get("/api/v1/openapi.json").json()["paths"]


def test_clm12_another_companys_unit_answers_like_a_missing_one(demo, realty, frozen):  # CLM-12 ORG-3
    """Issue 10 follow-up: a unit outside the submitter's reach that they cannot see answered 403
    while an unknown id answered 404 — the refusal confirmed that the unit exists. Both are now the
    same 404; a submitter's refusal for a unit they see stays 403."""
    client = Client()
    url = "/api/v1/claims/daily"
    water = Unit.objects.get(name="华辰水务有限公司")
    for username in ("huanglei", "majun"):  # sales (own scope), 行政部 of 华辰置业
        who = bearer(demo[username].user)
        other = client.post(
            url, {"unit_id": water.pk, "none_today": True}, content_type="application/json", **who
        )
        missing = client.post(
            url, {"unit_id": 2**40, "none_today": True}, content_type="application/json", **who
        )
        assert other.status_code == missing.status_code == 404, other.content
        assert other.json() == missing.json()
    lina = bearer(demo["lina"].user)  # sees her department, submits for nothing: 403 whatever the unit
    refused = client.post(
        url, {"unit_id": water.pk, "none_today": True}, content_type="application/json", **lina
    )
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert not DailySubmission.objects.filter(unit=water).exists()


def test_clm12_next_day_is_a_new_form(demo, act, realty, frozen):
    actions.submit_daily(act("majun"), unit=realty, day=TODAY, customers=[], none_today=True)
    clock.advance(timedelta(days=1))
    client = login(demo, "majun")
    assert client.post("/claims/daily/submit/", {"unit": realty.pk, "none_today": "1"}).status_code == 302
    assert DailySubmission.objects.filter(unit=realty, day=TODAY + timedelta(days=1)).exists()
