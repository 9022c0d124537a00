"""The per-agent card and the 按坐席 chart (issue 16, KPI-1) on hand-built daily facts (clock frozen):
the card's tiles are `kpis.values` for the agent, missed targets are red, a registered section is shown,
the card is scoped (no leak), the team chart equals each agent's values, and the statements are bounded."""

from datetime import date, timedelta

import pytest
from django.test import Client

from kefu.cases.models import Office, SkillGroup
from kefu.core import clock
from kefu.insights.models import DailyFact
from kefu.insights.queries import cards, kpis
from kefu.org.access import actor_for
from kefu.org.models import Unit

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 2)  # the frozen clock's local day


def _fact(who, day, **counters):
    return DailyFact.objects.create(day=day, unit=who.unit, employee=who, **counters)


@pytest.fixture
def facts(demo, frozen):
    """赵敏: 10 received (1 complaint), 9 resolved, 8 closed (6 on time, 1 reopened), 5 answers (4 满意),
    8 first answers in 80 minutes on the 2nd; 2 received, 2 answers (2 满意) on the 3rd.
    孙丽: 4 received, 4 resolved, 2 answers (2 满意) on the 2nd."""
    zhao, sun = demo["zhaomin"], demo["sunli"]
    _fact(
        zhao,
        DAY,
        received=10,
        received_external=10,
        complaints=1,
        resolved=9,
        closed=8,
        closed_on_time=6,
        reopened=1,
        answered=5,
        satisfied=4,
        responded=8,
        response_minutes=80,
    )
    _fact(zhao, DAY + timedelta(days=1), received=2, received_external=2, answered=2, satisfied=2)
    _fact(sun, DAY, received=4, received_external=4, resolved=4, answered=2, satisfied=2)
    return {"zhaomin": zhao, "sunli": sun}


def _actor(demo, username):
    return actor_for(demo[username].user, origin="test")


def _client(demo, username) -> Client:
    client = Client()
    client.force_login(demo[username].user)
    return client


def test_kpi1_card_tiles_are_the_agents_kpi_values(demo, facts):  # KPI-1
    lina = _actor(demo, "lina")
    card = cards.card(lina, demo["zhaomin"].pk, "month")
    scope = kpis.scope_of(lina, agent=demo["zhaomin"].pk)
    expected = {
        v.kpi.code: (v.numerator, v.denominator, v.value) for v in kpis.values(lina, scope, card.period)
    }
    assert {v.kpi.code: (v.numerator, v.denominator, v.value) for v in card.values} == expected
    shown = {v.kpi.code: v for v in card.values}
    assert (shown["satisfaction"].numerator, shown["satisfaction"].denominator) == (6, 7)
    assert shown["satisfaction"].value == 85.7 and shown["satisfaction"].missed  # < 90 %
    assert shown["complaint_rate"].value == 8.3 and shown["complaint_rate"].missed  # > 3 %
    assert card.employee.name == "赵敏" and card.period == kpis.period_of("month", DAY)
    assert [d for d, _v in card.trend["satisfaction"]] == [DAY, DAY + timedelta(days=1)]


def test_kpi1_card_page_tiles_red_when_missed_and_linking_to_the_agents_records(demo, facts):  # KPI-1
    page = _client(demo, "lina").get(f"/insights/agents/{demo['zhaomin'].pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "赵敏" in text and "热线一组" in text and "85.7%" in text
    assert 'data-kpi="satisfaction"' in text and "today-alert kpi-missed" in text
    assert (
        f"/insights/kpis/satisfaction/?period=month&amp;day=2026-03-01&amp;agent={demo['zhaomin'].pk}" in text
    )
    drill = _client(demo, "lina").get(
        f"/insights/kpis/satisfaction/?period=month&day=2026-03-01&agent={demo['zhaomin'].pk}"
    )
    assert drill.status_code == 200
    export = _client(demo, "lina").get(f"/insights/agents/{demo['zhaomin'].pk}/?period=month&export=kpis")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    trend = _client(demo, "lina").get(f"/insights/agents/{demo['zhaomin'].pk}/?export=trend")
    assert trend.status_code == 200 and trend["Content-Type"].startswith("application/vnd.openxmlformats")


def test_kpi1_card_periods_this_month_last_month_quarter(demo, facts):  # KPI-1
    clock.advance(timedelta(days=31))  # 2 April: March is 上月, the second quarter has no numbers yet
    lina = _actor(demo, "lina")
    last = cards.card(lina, demo["zhaomin"].pk, "last_month")
    assert last.period == kpis.period_of("month", DAY)
    assert {v.kpi.code: v.value for v in last.values}["satisfaction"] == 85.7
    now = cards.card(lina, demo["zhaomin"].pk, "quarter")
    assert (
        now.period.start == date(2026, 4, 1)
        and {v.kpi.code: v.value for v in now.values}["satisfaction"] is None
    )
    assert cards.card(lina, demo["zhaomin"].pk, "nonsense").choice == "month"
    page = _client(demo, "lina").get(f"/insights/agents/{demo['zhaomin'].pk}/?period=last_month")
    assert page.status_code == 200 and "2026年03月" in page.content.decode()


def test_kpi1_card_scope_an_agent_sees_only_their_own_a_supervisor_their_team(demo, facts):  # KPI-1
    zhaomin = _client(demo, "zhaomin")
    other = zhaomin.get(f"/insights/agents/{demo['sunli'].pk}/")
    assert other.status_code == 404 and "孙丽" not in other.content.decode()
    assert zhaomin.get("/insights/agents/999999999/").status_code == 404
    assert zhaomin.get("/insights/agents/99999999999999999999999/").status_code == 404  # no overflow
    mine = zhaomin.get("/insights/agents/me/")
    assert (
        mine.status_code == 200 and "我的业绩" in mine.content.decode() and "85.7%" in mine.content.decode()
    )
    lina = _client(demo, "lina")
    assert lina.get(f"/insights/agents/{demo['sunli'].pk}/").status_code == 200
    assert lina.get(f"/insights/agents/{demo['lvxin'].pk}/").status_code == 404  # another subsidiary
    with pytest.raises(kpis.NotFound):
        cards.card(_actor(demo, "zhaomin"), demo["sunli"].pk)


def test_kpi1_a_registered_section_appears_on_the_card(demo, facts, monkeypatch):  # KPI-1
    monkeypatch.setattr(cards, "SECTIONS", dict(cards.SECTIONS))
    seen = []

    def provider(actor, employee, period):
        seen.append((employee.pk, period.kind))
        if employee.pk != demo["zhaomin"].pk:
            return None  # nothing to say for this person: no section
        return [("月度考核得分", 91.5, "/quality/"), ("排名", "第 2 名")]

    cards.register_section("appraisal_test", "月度考核", provider)
    with pytest.raises(ValueError):
        cards.register_section("Bad Key", "x", provider)
    lina = _client(demo, "lina")
    text = lina.get(f"/insights/agents/{demo['zhaomin'].pk}/").content.decode()
    assert "月度考核" in text and "月度考核得分" in text and "91.5" in text and "第 2 名" in text
    assert 'id="card-section-s-appraisal-test"' in text
    assert "月度考核得分" not in lina.get(f"/insights/agents/{demo['sunli'].pk}/").content.decode()
    assert seen == [(demo["zhaomin"].pk, "month"), (demo["sunli"].pk, "month")]
    export = lina.get(f"/insights/agents/{demo['zhaomin'].pk}/?export=s-appraisal-test")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_kpi1_card_statement_count_is_bounded(demo, facts, django_assert_max_num_queries):  # KPI-1
    lina = _client(demo, "lina")
    url = f"/insights/agents/{demo['zhaomin'].pk}/"
    lina.get(url)
    for day in range(3, 28):  # a month of numbers costs no more than two days
        _fact(demo["zhaomin"], date(2026, 3, day), received=1, answered=1, satisfied=1)
    with django_assert_max_num_queries(40) as counted:
        assert lina.get(url).status_code == 200
    print("statements for the card page:", len(counted.captured_queries))


def test_kpi1_team_chart_by_agent_equals_each_agents_values(demo, facts):  # KPI-1
    lina = _actor(demo, "lina")
    scope = kpis.scope_of(lina, unit=demo["zhaomin"].unit_id)
    period = kpis.period_of("month", DAY)
    team = cards.by_agent(lina, scope, period, ["satisfaction", "resolution_rate", "qa_score"])
    names = [p.name for p in team.members]
    assert {"李娜", "赵敏", "孙丽"} <= set(names)
    for person in team.members:
        one = {v.kpi.code: v for v in kpis.values(lina, kpis.Scope(agent=person), period)}
        for code in ("satisfaction", "resolution_rate", "qa_score"):
            got, want = team.values[code][person.pk], one[code]
            assert (got.numerator, got.denominator, got.value) == (
                want.numerator,
                want.denominator,
                want.value,
            )
    assert team.values["satisfaction"][demo["sunli"].pk].value == 100.0
    assert cards.by_agent(lina, kpis.Scope(), period, ["satisfaction"]).members == []


def test_kpi1_team_chart_statements_do_not_grow_with_the_team(
    demo, facts, django_assert_max_num_queries
):  # KPI-1
    lina = _actor(demo, "lina")
    scope = kpis.scope_of(lina, unit=demo["zhaomin"].unit_id)
    period = kpis.period_of("month", DAY)
    codes = [k.code for k in kpis.KPIS]  # every KPI, the two sourced ones too
    cards.by_agent(lina, scope, period, codes)
    with django_assert_max_num_queries(6) as counted:
        team = cards.by_agent(lina, scope, period, codes)
    assert len(team.members) >= 3
    print("statements for the team chart:", len(counted.captured_queries))


def test_kpi1_kpi_page_team_chart_and_agent_picker(demo, facts):  # KPI-1
    lina = _client(demo, "lina")
    unit = demo["zhaomin"].unit_id
    page = lina.get(
        f"/insights/kpis/?unit={unit}&period=month&day=2026-03-02&kpi=satisfaction&kpi=complaint_rate"
    )
    text = page.content.decode()
    assert page.status_code == 200 and 'id="chart-team"' in text and "按坐席" in text
    assert f'href="/insights/agents/{demo["zhaomin"].pk}/"' in text and "85.7" in text
    assert 'name="agent"' in text and "孙丽" in text
    export = lina.get(f"/insights/kpis/?unit={unit}&period=month&day=2026-03-02&kpi=satisfaction&export=team")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    picked = lina.get(
        f"/insights/kpis/?agent={demo['sunli'].pk}&period=month&day=2026-03-02"
    ).content.decode()
    assert 'id="chart-team"' not in picked and f'href="/insights/agents/{demo["sunli"].pk}/"' in picked
    assert "孙丽" in picked and "100.0%" in picked
    # an agent's picker offers only themselves
    mine = _client(demo, "zhaomin").get("/insights/kpis/").content.decode()
    assert "赵敏 · 热线一组" in mine and "孙丽 · 热线一组" not in mine


def test_kpi1_today_team_names_link_to_their_cards(demo, facts):  # KPI-1
    group = SkillGroup.objects.create(
        unit=Unit.objects.get(code="realty-cs-hotline"),
        code="hotline",
        name="热线组",
        office=Office.FRONT,
        families=["consultation", "complaint"],
    )
    group.members.set([demo["zhaomin"], demo["sunli"]])
    text = _client(demo, "lina").get("/insights/today/").content.decode()
    assert f'href="/insights/agents/{demo["zhaomin"].pk}/"' in text
    assert f'href="/insights/agents/{demo["sunli"].pk}/"' in text
