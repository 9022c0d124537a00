"""本月 dashboard (issue 16, KPI-1) on a hand-built data set (clock frozen): the KPI tiles and `missed`
against the pack's targets, the by-subsidiary figures equal to each subsidiary's own `kpis.values`,
the top complaint categories and the escalations counted by hand, the reader's scope (王芳 sees only
华辰置业), the statement count, the page, its records and exports, and 张伟's home."""

import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from openpyxl import load_workbook
from tests.pages.test_chinese_only import latin_shown

from kefu.cases import actions
from kefu.cases.actions import routing
from kefu.cases.models import Case
from kefu.core import audit, clock
from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.engine.workflow.actions import deadlines
from kefu.insights.actions import kpis as facts
from kefu.insights.models import CaseFact, DailyFact
from kefu.insights.queries import kpis
from kefu.insights.queries import month as queries
from kefu.insights.views import month as views
from kefu.org.access import actor_for
from kefu.org.models import Unit

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 2)  # the frozen clock's local day


def _sweep():
    audit.seal_pending()
    return facts.sweep_all()


def _actor(demo, username):
    return actor_for(demo[username].user, origin="test")


@pytest.fixture
def built(demo, frozen):
    """By hand, received on 2 March 2026 unless said otherwise:

    华辰置业 (热线一组, by 赵敏)   R1 complaint 物业费 · R2 complaint 物业费 · R3 complaint 噪音, major
                                  (escalated) · R4, R5 consultations
    华辰水务 (96390 热线组, 吕欣)  W1 complaint 水质 · W2 consultation · W3 consultation escalated by
                                  hand (beyond one's remit)
    February (not in March)        R0 complaint 物业费, received on 20 February
    """
    zhaomin, lvxin = _actor(demo, "zhaomin"), _actor(demo, "lvxin")
    realty, water = Unit.objects.get(code="realty-cs-hotline"), demo["lvxin"].unit

    def new(by, unit, title, kind="consultation", category=""):
        case, _ = actions.create_case(
            by,
            unit=unit,
            kind=kind,
            channel="phone",
            title=title,
            contact={"name": "周女士", "phone": "13600001111"},
        )
        if category:  # CASE-7 classification, as the complaint desk records it
            Case.objects.filter(pk=case.pk).update(category=category)
        return case

    clock.freeze(frozen - timedelta(days=10))
    r0 = new(zhaomin, realty, "R0", "complaint", "物业费")
    clock.freeze(frozen)
    cases = {
        "R0": r0,
        "R1": new(zhaomin, realty, "R1", "complaint", "物业费"),
        "R2": new(zhaomin, realty, "R2", "complaint", "物业费"),
        "R3": new(zhaomin, realty, "R3", "complaint", "噪音"),
        "R4": new(zhaomin, realty, "R4"),
        "R5": new(zhaomin, realty, "R5"),
        "W1": new(lvxin, water, "W1", "complaint", "水质"),
        "W2": new(lvxin, water, "W2"),
        "W3": new(lvxin, water, "W3"),
    }
    Case.objects.filter(pk=cases["R3"].pk).update(major=True)
    w3 = Case.objects.get(pk=cases["W3"].pk)
    if w3.owner_id is None:
        routing.assign(_actor(demo, "gaofeng"), w3, demo["lvxin"])
        w3.refresh_from_db()
    routing.escalate(_actor(demo, "gaofeng"), w3, reason="需技术部处理", trigger="out_of_remit")
    _sweep()
    return cases


def _month(demo, who, unit=None, kind="month"):
    me = _actor(demo, who)
    return queries.month(me, kpis.scope_of(me, unit=unit), kpis.period_of(kind, DAY))


def test_kpi1_month_tiles_against_their_targets(demo, built):  # KPI-1
    data = _month(demo, "zhangwei")
    tiles = {v.kpi.code: v for v in data.values}
    assert [v.kpi.code for v in data.values] == [k.code for k in kpis.KPIS]  # every KPI, one tile each
    rate = tiles["complaint_rate"]
    assert (rate.numerator, rate.denominator, rate.value) == (4, 8, 50.0)
    assert rate.missed and float(rate.target.value) == 3  # 投诉率 ≤ 3 %: missed → red
    assert tiles["satisfaction"].value is None and not tiles["satisfaction"].missed  # nothing answered yet
    assert tiles["resolution_rate"].missed  # nothing resolved, target ≥ 90 %
    assert {v.kpi.code for v in data.missed} >= {"complaint_rate", "resolution_rate"}
    # the tiles are the KPI page's own numbers
    me = _actor(demo, "zhangwei")
    same = kpis.values(me, kpis.Scope(), kpis.period_of("month", DAY))
    assert [(v.numerator, v.denominator) for v in same] == [(v.numerator, v.denominator) for v in data.values]


def test_kpi1_month_by_subsidiary_equals_each_subsidiarys_own_values(demo, built):  # KPI-1
    data = _month(demo, "zhangwei")
    me = _actor(demo, "zhangwei")
    month = kpis.period_of("month", DAY)
    names = [row.name for row in data.units]
    assert names == ["华辰置业有限公司", "华辰水务有限公司"]
    for row in data.units:
        own = {v.kpi.code: v for v in kpis.values(me, kpis.scope_of(me, unit=row.unit.pk), month)}
        for code, value in row.values.items():
            assert (value.numerator, value.denominator, value.missed) == (
                own[code].numerator,
                own[code].denominator,
                own[code].missed,
            ), (row.name, code)
    realty, water = data.units
    assert (realty.received, realty.escalations, realty.values["complaint_rate"].value) == (5, 1, 60.0)
    assert (water.received, water.escalations, water.values["complaint_rate"].value) == (3, 1, 33.3)


def test_kpi1_month_a_department_scope_shows_the_department_not_its_subsidiary(demo, built):  # KPI-1
    department = Unit.objects.get(code="realty-cs")
    data = _month(demo, "zhangwei", unit=department.pk)
    assert [(row.unit, row.name) for row in data.units] == [(department, "客户服务部")]
    me = _actor(demo, "zhangwei")
    own = kpis.values(me, kpis.scope_of(me, unit=department.pk), kpis.period_of("month", DAY))
    row = data.units[0]
    assert [(v.numerator, v.denominator) for v in own if v.kpi.code in row.values] == [
        (v.numerator, v.denominator) for v in row.values.values()
    ]


def test_kpi1_month_top_complaint_categories_counted_by_hand(demo, built):  # KPI-1
    data = _month(demo, "zhangwei")
    assert data.categories[0] == ("物业费", 2, "物业费")  # R1, R2 (R0 is February's)
    assert {label: n for label, n, _ in data.categories} == {"物业费": 2, "噪音": 1, "水质": 1}
    quarter = _month(demo, "zhangwei", kind="quarter")
    assert dict((label, n) for label, n, _ in quarter.categories)["物业费"] == 3  # with R0
    me = _actor(demo, "zhangwei")
    listed = queries.cases(me, kpis.Scope(), kpis.period_of("month", DAY), category="物业费")
    assert sorted(f.case.title for f in listed) == ["R1", "R2"]


def test_kpi1_month_escalations_major_or_escalated(demo, built):  # KPI-1 (ESC-1, WF-6)
    data = _month(demo, "zhangwei")
    assert data.escalations == 2  # R3 is major, W3 went up its chain by hand
    assert data.trend["escalations"][data.days.index(DAY)] == 2 and sum(data.trend["escalations"]) == 2
    escalated = CaseFact.objects.filter(escalated=True)
    assert sorted(f.case.title for f in escalated) == ["R3", "W3"]
    me = _actor(demo, "zhangwei")
    listed = queries.cases(me, kpis.Scope(), kpis.period_of("month", DAY), escalated=True, day=DAY)
    assert sorted(f.case.title for f in listed) == ["R3", "W3"]


def test_kpi1_month_a_breached_clock_counts_as_escalated_after_the_sweep(demo, built):  # KPI-1 (WF-6)
    # 10 days on every case's clocks have run out (none was answered): each breach escalates its case
    # (WF-6) and the sweep sees the escalation
    clock.advance(timedelta(days=10))
    deadlines.sweep()
    _sweep()
    fact = CaseFact.objects.get(case=built["R4"])
    assert fact.escalated and fact.received_day == DAY

    def escalations():
        return {
            (d, u, e): n
            for d, u, e, n in DailyFact.objects.values_list("day", "unit", "employee", "escalations")
            if n
        }

    def flags():
        return set(CaseFact.objects.values_list("case_id", "category", "escalated"))

    incremental, kept = escalations(), flags()
    assert sum(incremental.values()) == len(built) == 9  # R3 and W3 were already, now all of them
    facts.rebuild(Actor.system("test"))
    assert escalations() == incremental and flags() == kept


def test_kpi1_month_scope_wangfang_sees_only_her_subsidiary(demo, built):  # KPI-1
    data = _month(demo, "wangfang")
    assert [row.name for row in data.units] == ["华辰置业有限公司"]
    assert data.value("complaint_rate").denominator == 5
    assert {label: n for label, n, _ in data.categories} == {"物业费": 2, "噪音": 1}
    assert data.escalations == 1
    with pytest.raises(kpis.NotFound):
        kpis.scope_of(_actor(demo, "wangfang"), unit=demo["lvxin"].unit_id)


def test_kpi1_month_costs_a_fixed_number_of_statements(demo, built, django_assert_max_num_queries):  # KPI-1
    me = _actor(demo, "zhangwei")
    scope, period = kpis.Scope(), kpis.period_of("month", DAY)
    queries.month(me, scope, period)  # grants and pack read once (cached per request in the web)
    with django_assert_max_num_queries(12) as counted:
        queries.month(me, scope, period)
    few = len(counted.captured_queries)
    for n in range(6):  # more cases, more days: the same statements
        actions.create_case(
            _actor(demo, "zhaomin"),
            unit=Unit.objects.get(code="realty-cs-hotline"),
            kind="complaint",
            channel="phone",
            title=f"more {n}",
        )
        clock.advance(timedelta(days=1))
    _sweep()
    with django_assert_max_num_queries(few) as again:
        queries.month(me, scope, period)
    assert not any('"cases_case"' in q["sql"] for q in again.captured_queries)  # no scan of Case
    print("statements for the 本月 dashboard:", few)


def test_kpi1_month_page_tiles_charts_drill_and_export(demo, built):  # KPI-1
    client = Client()
    client.force_login(demo["zhangwei"].user)
    page = client.get("/insights/month/?period=month&day=2026-03-02")
    assert page.status_code == 200
    text = page.content.decode()
    assert "本月看板" in text and "投诉率" in text and "50.0%" in text
    assert 'data-kpi="complaint_rate" data-missed="1"' in text and "目标 ≤ 3%" in text
    assert "/insights/kpis/complaint_rate/?period=month&amp;day=2026-03-01" in text  # tile → its records
    for key in ("rates", "units", "volume", "categories", "escalations", "reopen"):
        assert f'id="chart-{key}-table"' in text and f"export={key}" in text
    assert not latin_shown(text), latin_shown(text)
    # the quarter, the previous month
    assert client.get("/insights/month/?period=quarter&day=2026-03-02").status_code == 200
    assert "2026年02月" in client.get("/insights/month/?period=month&day=2026-02-10").content.decode()
    # a category's records, and its export
    listed = client.get("/insights/month/cases/?period=month&day=2026-03-01&category=物业费")
    assert listed.status_code == 200
    assert built["R1"].number in listed.content.decode() and built["R0"].number not in listed.content.decode()
    book = client.get("/insights/month/?period=month&day=2026-03-01&export=categories")
    assert book["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(book.content)).active.iter_rows(values_only=True))
    assert ("物业费", 2) in [tuple(r[:2]) for r in rows]
    # a category a sheet's name cannot hold ("/"): the export still answers
    Case.objects.filter(pk=built["R3"].pk).update(category="维修/保养")
    facts.rebuild(Actor.system("test"))
    book = client.get("/insights/month/cases/?period=month&day=2026-03-01&category=维修/保养&export=records")
    assert book.status_code == 200 and built["R3"].number in str(
        list(load_workbook(io.BytesIO(book.content)).active.values)
    )
    escalated = client.get("/insights/month/cases/?period=month&day=2026-03-01&escalated=1&on=2026-03-02")
    assert built["R3"].number in escalated.content.decode()


def test_kpi1_month_page_scope_and_bad_input(demo, built):  # KPI-1
    client = Client()
    client.force_login(demo["wangfang"].user)
    text = client.get("/insights/month/").content.decode()
    assert "华辰水务" not in text
    assert client.get(f"/insights/month/?unit={demo['lvxin'].unit_id}").status_code == 404  # out of scope
    for bad in ("?unit=abc", "?day=2026-99-99", "?period=year", "?unit=99999999999999999999999"):
        assert client.get(f"/insights/month/{bad}").status_code in (200, 404), bad
    water = client.get("/insights/month/cases/?category=水质")
    assert water.status_code == 200 and built["W1"].number not in water.content.decode()


def test_kpi1_month_without_kpi_view_is_the_chinese_no_permission_page(demo, built):  # KPI-1
    client = Client()
    client.force_login(demo["huanglei"].user)  # 销售: no kpi.view
    me = _actor(demo, "huanglei")
    assert not kpis.access.can(me, kpis.VIEW)
    for url in ("/insights/month/", "/insights/month/cases/?category=x"):
        page = client.get(url)
        assert page.status_code == 403 and "您没有执行此操作的权限" in page.content.decode(), (
            page.content.decode()[:300]
        )


def test_kpi1_zhangweis_home_is_the_month_dashboard(demo, built):  # KPI-1
    clock.freeze(clock.now() + timedelta(hours=1))
    client = Client()
    client.force_login(demo["zhangwei"].user)
    text = client.get("/").content.decode()
    assert 'id="month"' in text and 'id="today"' not in text
    assert 'data-kpi="complaint_rate" data-missed="1"' in text and "目标 ≤ 3%" in text
    assert "/insights/month/?period=month" in text  # the full page
    assert 'id="chart-rates"' in text and 'id="chart-units"' in text
    # agents and supervisors keep their 今日 home
    assert views.home_shown(_actor(demo, "zhangwei")) and views.home_shown(_actor(demo, "wangfang"))
    assert not views.home_shown(_actor(demo, "zhaomin")) and not views.home_shown(_actor(demo, "lina"))
    client.force_login(demo["zhaomin"].user)
    text = client.get("/").content.decode()
    assert 'id="today"' in text and 'id="month"' not in text


def test_kpi1_month_api(demo, built):  # KPI-1
    _, token = create_token(
        Actor(user=demo["wangfang"].user, origin="test"), user=demo["wangfang"].user, name="t"
    )
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    got = api.get("/api/v1/insights/month?period=month&day=2026-03-02").json()
    assert [s["name"] for s in got["subsidiaries"]] == ["华辰置业有限公司"]
    assert {c["label"]: c["complaints"] for c in got["categories"]} == {"物业费": 2, "噪音": 1}
    assert got["escalations"] == 1
    rate = next(v for v in got["values"] if v["code"] == "complaint_rate")
    assert (rate["value"], rate["missed"], rate["target"]) == (60.0, True, 3.0)
    assert next(d for d in got["days"] if d["day"] == "2026-03-02")["received"] == 5
    assert api.get(f"/api/v1/insights/month?unit={demo['lvxin'].unit_id}").status_code == 404
    _, token = create_token(
        Actor(user=demo["huanglei"].user, origin="test"), user=demo["huanglei"].user, name="t"
    )
    assert Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/insights/month").status_code == 403


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan of PostgreSQL")
def test_kpi1_month_categories_read_the_complaint_index(demo, built):  # KPI-1
    """Complaints received in a month by category: the partial index of complaints serves the query
    (shown with sequential scans off: on a tiny table the planner would rather scan it)."""
    me = _actor(demo, "wangfang")
    period = kpis.period_of("month", DAY)
    found = (
        queries._scoped_facts(me, kpis.Scope())
        .filter(complaint=True, received_day__gte=period.start, received_day__lt=period.end)
        .values("category")
        .annotate(n=queries.Count("pk"))
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = found.explain()
    assert "kpi_fact_complaint_category" in plan, plan
