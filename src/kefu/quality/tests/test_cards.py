"""QA-1 → KPI-1 on the per-agent card and the 按坐席 chart (issue 16): a ruled inspection's score is the
agent's QA score at once (read live from the final inspections), the card's QA section lists the
inspections behind it with links to their pages, and the team chart shows it per agent in a bounded
number of statements."""

from datetime import timedelta

import pytest
from django.test import Client

from kefu.core import clock
from kefu.insights.queries import cards, kpis
from kefu.org.access import actor_for
from kefu.quality.actions import appeals, inspections

pytestmark = pytest.mark.django_db


@pytest.fixture
def ruled(demo, act, task, full_marks):
    """赵敏's inspection scored by 周强 (84), appealed, ruled by 唐宁 at 95."""
    zhou = act("zhouqiang")
    inspections.score(zhou, task, scores=full_marks(task, 十字服务用语=2))
    inspections.publish(zhou, task)
    clock.advance(timedelta(days=1))
    appeals.file(act("zhaomin"), task, reason="录音开头已说您好")
    appeals.rule(act("tangning"), task, outcome="adjusted", ruling="录音核实已使用十字用语", total="95")
    task.refresh_from_db()
    return task


def _client(demo, username) -> Client:
    client = Client()
    client.force_login(demo[username].user)
    return client


def test_qa1_card_qa_section_lists_the_agents_inspections(demo, ruled):  # QA-1, KPI-1
    lina = actor_for(demo["lina"].user, origin="test")
    card = cards.card(lina, demo["zhaomin"].pk)
    assert card.qa.value == 95.0 and card.qa.denominator == 1
    link = f"/quality/inspections/{ruled.pk}/"
    assert [(r.number, r.numerator, r.url) for r in card.inspections.rows] == [
        (ruled.case.number, 95.0, link)
    ]
    assert cards.card(lina, demo["sunli"].pk).inspections.rows == []
    mine = _client(demo, "zhaomin").get("/insights/agents/me/").content.decode()
    assert f'href="{link}"' in mine and "95.0" in mine and ruled.case.number in mine
    page = _client(demo, "lina").get(f"/insights/agents/{demo['zhaomin'].pk}/").content.decode()
    assert f'href="{link}"' in page
    assert _client(demo, "lina").get(link).status_code == 200  # the supervisor may open it
    export = _client(demo, "lina").get(f"/insights/agents/{demo['zhaomin'].pk}/?export=qa")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_kpi1_qa_score_drills_down_to_its_inspections(demo, ruled):  # KPI-1
    lina = actor_for(demo["lina"].user, origin="test")
    period = kpis.period_of("month", clock.today())
    scope = kpis.scope_of(lina, unit=demo["zhaomin"].unit_id)
    found = kpis.drill(lina, "qa_score", scope, period)
    value = kpis.value(lina, "qa_score", scope, period)
    assert (found.numerator, found.denominator) == (value.numerator, value.denominator) == (95.0, 1)
    page = _client(demo, "lina").get(
        f"/insights/kpis/qa_score/?period=month&day={period.start}&agent={demo['zhaomin'].pk}"
    )
    assert f'href="/quality/inspections/{ruled.pk}/"' in page.content.decode()
    water = actor_for(demo["gaofeng"].user, origin="test")  # another subsidiary sees none of hers
    assert kpis.drill(water, "qa_score", kpis.Scope(), period).rows == []


def test_kpi1_team_chart_qa_score_by_agent_in_bounded_statements(
    demo, ruled, django_assert_max_num_queries
):  # KPI-1
    lina = actor_for(demo["lina"].user, origin="test")
    period = kpis.period_of("month", clock.today())
    scope = kpis.scope_of(lina, unit=demo["zhaomin"].unit_id)
    cards.by_agent(lina, scope, period, ["qa_score", "satisfaction"])
    with django_assert_max_num_queries(4):  # members, the daily facts, the inspections (+ a grant read)
        team = cards.by_agent(lina, scope, period, ["qa_score", "satisfaction"])
    assert team.values["qa_score"][demo["zhaomin"].pk].value == 95.0
    assert team.values["qa_score"][demo["sunli"].pk].value is None
    page = _client(demo, "lina").get(
        f"/insights/kpis/?unit={demo['zhaomin'].unit_id}&period=month&day={period.start}&kpi=qa_score"
    )
    text = page.content.decode()
    assert 'id="chart-team"' in text and "95.0" in text
    assert f'href="/insights/agents/{demo["zhaomin"].pk}/"' in text
