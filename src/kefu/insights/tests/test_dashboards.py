"""今日 dashboard (issue 16, KPI-1): the numbers equal cases counted by hand (clock frozen), scope (an
agent sees their own, a supervisor their team), every number's records, the charts with their tables and
Excel exports (scoped, equal to the table), the API, and the home pages of agents and supervisors."""

import io
import re
from datetime import timedelta

import pytest
from django.db import reset_queries
from django.test import Client
from openpyxl import load_workbook
from tests.pages.test_chinese_only import latin_shown

from kefu.cases import actions
from kefu.cases.models import Case, CaseState, Office, SkillGroup
from kefu.core import clock
from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.followups.models import Outcome, RevisitTask, TaskState
from kefu.insights.queries import dashboards as queries
from kefu.org.access import actor_for
from kefu.org.models import Unit
from kefu.web.charts import Chart, Series, workbook

EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


@pytest.fixture
def act(demo):
    def make(username):
        return actor_for(demo[username].user, origin="test")

    return make


@pytest.fixture
def hotline(demo):
    """Realty's hotline skill group (赵敏, 孙丽), as the cases tests build it."""
    group, _ = SkillGroup.objects.get_or_create(
        unit=Unit.objects.get(code="realty-cs-hotline"),
        code="hotline",
        defaults={"name": "热线组", "office": Office.FRONT, "families": ["consultation", "complaint"]},
    )
    group.members.set([demo["zhaomin"], demo["sunli"]])
    return group


@pytest.fixture
def day(demo, act, hotline, frozen):
    """Cases and revisits built by hand, at 2026-03-02 10:00 Shanghai; `expected` counted by hand."""
    now = clock.now()
    yesterday = now - timedelta(days=1)

    def case(by, *, owner, state=CaseState.INVESTIGATING, received=now, due=None, resolved=None, closed=None):
        made, _ = actions.create_case(
            act(by), unit=hotline.unit, kind="consultation", channel="phone", title="咨询交房时间"
        )
        Case.objects.filter(pk=made.pk).update(
            owner=owner,
            skill_group=hotline,
            state=state,
            received_at=received,
            next_due_at=due,
            resolved_at=resolved,
            closed_at=closed,
        )
        return made.pk

    zhaomin, sunli = demo["zhaomin"], demo["sunli"]
    built = {
        # 赵敏: three open (one due within 4 h, one due later, one overdue), one closed today, one closed
        # today that came in yesterday
        "z_soon": case("zhaomin", owner=zhaomin, due=now + timedelta(hours=1)),
        "z_later": case("zhaomin", owner=zhaomin, received=yesterday, due=now + timedelta(hours=10)),
        "z_late": case("zhaomin", owner=zhaomin, received=yesterday, due=now - timedelta(hours=1)),
        "z_done": case(
            "zhaomin", owner=zhaomin, state=CaseState.CLOSED, resolved=now - timedelta(hours=1), closed=now
        ),
        "z_old": case(
            "zhaomin",
            owner=zhaomin,
            state=CaseState.CLOSED,
            received=yesterday,
            resolved=yesterday,
            closed=now - timedelta(minutes=5),
        ),
        # 孙丽: one overdue from yesterday, one new today due in 2 h
        "s_late": case("sunli", owner=sunli, received=yesterday, due=now - timedelta(hours=3)),
        "s_new": case("sunli", owner=sunli, due=now + timedelta(hours=2)),
        # waiting unassigned in the hotline's queue
        "queued": case("zhaomin", owner=None, due=now + timedelta(hours=3)),
    }
    Case.objects.filter(pk=built["queued"]).update(state=CaseState.ROUTED)
    # 赵敏's revisits: one done today, one done yesterday, one unreachable today
    for ended, state, outcome in [
        (now - timedelta(hours=2), TaskState.DONE, Outcome.SATISFIED),
        (yesterday, TaskState.DONE, Outcome.SATISFIED),
        (now - timedelta(hours=1), TaskState.UNREACHED, Outcome.UNREACHABLE),
    ]:
        RevisitTask.objects.create(
            unit=hotline.unit,
            assignee=zhaomin,
            state=state,
            outcome=outcome,
            due_at=ended,
            created_at=ended - timedelta(days=1),
            ended_at=ended,
        )
    # a water-company case of 吕欣: nobody on the realty hotline counts it
    water, _ = actions.create_case(
        act("lvxin"),
        unit=Unit.objects.get(code="water-cs-hotline"),
        kind="consultation",
        channel="phone",
        title="停水咨询",
    )
    Case.objects.filter(pk=water.pk).update(
        owner=demo["lvxin"],
        state=CaseState.INVESTIGATING,
        received_at=now,
        next_due_at=now - timedelta(hours=1),
    )
    expected = {
        "zhaomin": {
            "open": 3,
            "due_soon": 1,
            "breached": 1,
            "received": 2,
            "handled": 1,
            "closed": 2,
            "revisits": 1,
        },
        "sunli": {
            "open": 2,
            "due_soon": 1,
            "breached": 1,
            "received": 1,
            "handled": 0,
            "closed": 0,
            "revisits": 0,
        },
    }
    return {"cases": built, "expected": expected, "water": water.pk}


def login(demo, username) -> Client:
    client = Client()
    client.force_login(demo[username].user)
    return client


def test_agent_numbers_equal_the_cases_counted_by_hand(day, act):  # KPI-1
    data = queries.today(act("zhaomin"))
    assert data.mode == queries.MINE
    assert [p.name for p in data.people] == ["赵敏"]
    assert data.people[0].counts == day["expected"]["zhaomin"]
    assert data.totals == {**day["expected"]["zhaomin"], "queued": 1}
    assert data.due_soon_hours == 4 and data.due_soon.default_not_from_seeds  # the pack's default


def test_due_soon_window_comes_from_the_pack(day, act):  # KPI-1
    clock.advance(timedelta(hours=1, minutes=30))  # z_soon is overdue now, s_new due within the window
    zhaomin = queries.today(act("zhaomin")).people[0].counts
    assert (zhaomin["due_soon"], zhaomin["breached"]) == (0, 2)


def test_supervisor_sees_the_team_per_agent(day, act):  # KPI-1
    data = queries.today(act("lina"))
    assert data.mode == queries.TEAM
    by_name = {p.name: p.counts for p in data.people}
    assert by_name["赵敏"] == day["expected"]["zhaomin"]
    assert by_name["孙丽"] == day["expected"]["sunli"]
    assert "吕欣" not in by_name  # another company's agent
    assert data.totals["breached"] == 2 and data.totals["queued"] == 1
    assert data.totals["open"] == sum(c["open"] for c in by_name.values())


def test_agent_sees_only_their_own_records(day, act, demo):  # KPI-1
    me = act("zhaomin")
    open_cases = set(queries.records(me, "open").values_list("pk", flat=True))
    assert open_cases == {day["cases"][k] for k in ("z_soon", "z_later", "z_late")}
    with pytest.raises(NotFound):  # 孙丽 is not in an agent's view
        queries.person_in_view(me, queries.MINE, day_person(demo, "sunli"))
    assert queries.records(me, "revisits").count() == 1


def day_person(demo, username):
    return demo[username].pk


def test_every_number_lists_its_records(day, act):  # KPI-1
    me = act("lina")
    data = queries.today(me)
    for person in data.people:
        for metric in queries.PERSON_METRICS:
            found = queries.records(me, metric, person_id=person.pk)
            assert found.count() == person.counts[metric], (person.name, metric)
    for metric in queries.METRICS:
        assert queries.records(me, metric).count() == data.totals[metric], metric


def test_today_page_has_charts_tables_and_no_external_url(day, demo):  # KPI-1
    response = login(demo, "lina").get("/insights/today/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="chart-queue"' in body and 'id="chart-day"' in body
    assert '<script id="chart-day-data" type="application/json">' in body
    assert "/static/web/vendor/echarts.min.js" in body and body.count("echarts.min.js") == 1
    assert not EXTERNAL.search(body) and "http://" not in body and "https://" not in body
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", body)  # CSP: no inline code
    assert " style=" not in body and "<style" not in body
    assert 'id="chart-day-table"' in body and "?export=day" in body
    assert not latin_shown(body, {"lina", "zhaomin", "sunli"})


def _sheet_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_excel_export_matches_the_table_and_is_scoped(day, demo):  # KPI-1
    rows = _sheet_rows(login(demo, "lina").get("/insights/today/?export=queue"))
    assert rows[0] == ["各人在办与时限", None, None, None]
    assert rows[1] == ["客服人员", "在办（件）", "即将到期（件）", "已逾期（件）"]
    table = {row[0]: row[1:] for row in rows[2:]}
    assert table["赵敏"] == [3, 1, 1] and table["孙丽"] == [2, 1, 1]
    assert "吕欣" not in table
    mine = _sheet_rows(login(demo, "zhaomin").get("/insights/today/?export=day"))
    assert mine[2:] == [["今日新接", 2], ["今日办结", 1], ["今日结案", 2], ["今日回访", 1]]
    # an agent asking for the team's chart gets no team: their page has no such chart
    assert login(demo, "zhaomin").get("/insights/today/?export=queue")["Content-Type"].startswith("text/html")


def test_records_page_and_its_export_follow_the_scope(day, demo, act):  # KPI-1
    sunli = day_person(demo, "sunli")
    client = login(demo, "zhaomin")
    assert client.get(f"/insights/today/open/?person={sunli}").status_code == 404
    assert client.get("/insights/today/nonsense/").status_code == 404
    page = client.get("/insights/today/breached/")
    assert page.status_code == 200
    late = Case.objects.get(pk=day["cases"]["z_late"])
    assert late.number in page.content.decode()
    rows = _sheet_rows(client.get("/insights/today/breached/?export=records"))
    assert [r[0] for r in rows[2:]] == [late.number]
    team = login(demo, "lina").get(f"/insights/today/open/?person={sunli}&export=records")
    assert sorted(r[0] for r in _sheet_rows(team)[2:]) == sorted(
        Case.objects.filter(pk__in=[day["cases"]["s_late"], day["cases"]["s_new"]]).values_list(
            "number", flat=True
        )
    )


def test_home_is_the_today_dashboard_for_agents_and_supervisors(day, demo):  # KPI-1
    for username, mode in [("zhaomin", "mine"), ("lina", "team")]:
        body = login(demo, username).get("/").content.decode()
        assert f'data-mode="{mode}"' in body, username
        assert 'class="chart-canvas' in body
        assert not latin_shown(body, {username, "zhaomin", "sunli", "lina"}), username
    for username in ("wangfang", "zhangwei", "majun"):  # managers, executives, others: unchanged
        assert 'id="today"' not in login(demo, username).get("/").content.decode(), username


def test_no_case_reader_gets_no_dashboard(demo):  # KPI-1
    assert login(demo, "majun").get("/insights/today/").status_code == 403


def test_api_today(day, demo, act):  # KPI-1
    user = demo["zhaomin"].user
    _, token = create_token(Actor(user=user, origin="test"), user=user, name="t")
    response = Client().get("/api/v1/insights/today", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    body = response.json()
    assert body["mode"] == "mine" and body["totals"]["queued"] == 1
    assert body["people"][0]["counts"] == day["expected"]["zhaomin"]
    assert body["due_soon_default_not_from_seeds"] is True
    user = demo["majun"].user
    _, token = create_token(Actor(user=user, origin="test"), user=user, name="t")
    refused = Client().get("/api/v1/insights/today", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/insights/today" in schema["paths"]


def test_page_queries_do_not_grow_with_people(
    day, demo, act, hotline, django_assert_max_num_queries
):  # KPI-1
    client = login(demo, "lina")
    client.get("/insights/today/")
    reset_queries()  # the demo's load filled the log to its cap: a capture would count nothing
    with django_assert_max_num_queries(30) as before:
        assert client.get("/insights/today/").status_code == 200
    statements = len(before)
    hotline.members.add(demo["wujing"], demo["zhouqiang"])  # more people, more cases: the same statements
    actions.create_case(act("zhaomin"), unit=hotline.unit, kind="consultation", channel="phone", title="咨询")
    client.get("/insights/today/")
    reset_queries()
    with django_assert_max_num_queries(statements):
        assert client.get("/insights/today/").status_code == 200


def test_chart_spec_and_workbook():
    chart = Chart(
        key="demo",
        title="示例",
        categories=["甲", "=1+1"],
        series=[Series("数量", [1, 2], ["/a/", ""])],
        unit="件",
        category_label="项目",
        export_path="/x/?person=3",
    )
    assert chart.export_url == "/x/?person=3&export=demo"
    assert chart.option()["series"][0]["data"] == [1, 2]
    assert chart.rows()[0][1] == {"value": 1, "link": "/a/"}
    sheet = load_workbook(io.BytesIO(workbook(chart))).active
    assert sheet["A4"].value == "=1+1" and sheet["A4"].data_type == "s"  # text, never a formula
    with pytest.raises(ValueError):
        Chart(key="Bad Key", title="", categories=[], series=[])
    with pytest.raises(ValueError):
        Chart(key="ok", title="", categories=["a"], series=[Series("s", [])])
