"""QA-1: scorecards (versioned, weights, fatal item), sampling (random n % + risk, idempotent), scoring,
publishing, appeal window, second inspector, scope and the public score query."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from kefu.cases.models import Case
from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound, PermissionDenied
from kefu.insights.queries import kpis
from kefu.org import actions as org_actions
from kefu.org.models import Role
from kefu.quality.actions import appeals, inspections, sampling, scorecards
from kefu.quality.models import Inspection, InspectionState, Origin, Scorecard
from kefu.quality.queries import inspections as queries
from kefu.quality.queries import scorecards as card_queries
from kefu.quality.queries.sampling import week_of
from kefu.quality.seed import DEFAULT_ITEMS

pytestmark = pytest.mark.django_db


def test_default_scorecard_quotes_seed_004(demo):  # QA-1
    card = Scorecard.objects.get(unit__isnull=True, active=True)
    items = {i.name: i for i in card.items.all()}
    assert "您好、请、谢谢、对不起、再见" in items["十字服务用语"].description
    assert "来有迎声,问有答声,走有送声" in items["三声服务"].description
    assert "不准乱收费、不准以气谋私" in items["六不准"].description
    assert items["六不准"].fatal and len(items) == len(DEFAULT_ITEMS)


def test_scorecard_new_version_inspection_keeps_old_QA1(demo, act, task):
    old = task.scorecard
    realty = demo["wangfang"].unit.parent
    items = [
        {
            "name": i.name,
            "weight": i.weight,
            "max_score": i.max_score,
            "fatal": i.fatal,
            "description": i.description,
        }
        for i in old.items.all()
    ] + [{"name": "录音规范", "weight": 10, "max_score": 5}]
    card = scorecards.save_version(
        act("wangfang"), unit=realty, name="置业质检评分表", items=items, note="加录音项"
    )
    assert card.version == 1 and card.unit == realty and card.items.count() == len(DEFAULT_ITEMS) + 1
    assert card_queries.current_for(demo["zhaomin"].unit) == card
    again = scorecards.save_version(act("wangfang"), unit=realty, name="置业质检评分表", items=items[:3])
    assert again.version == 2 and not Scorecard.objects.get(pk=card.pk).active
    task.refresh_from_db()
    assert task.scorecard == old  # the inspection keeps its version


def test_scorecard_configure_scope_QA1(demo, act):
    water = demo["gaofeng"].unit.parent
    with pytest.raises(NotFound):
        scorecards.save_version(
            act("wangfang"), unit=water, name="x", items=[{"name": "a", "weight": 1, "max_score": 1}]
        )
    with pytest.raises(PermissionDenied):
        scorecards.save_version(
            act("zhaomin"), unit=None, name="x", items=[{"name": "a", "weight": 1, "max_score": 1}]
        )
    with pytest.raises(Invalid):
        scorecards.save_version(
            act("wangfang"), unit=demo["wangfang"].unit.parent, name="x", items=[{"name": "a", "fatal": True}]
        )


def test_weights_and_fatal_item_QA1(demo, act, task, full_marks):
    zhou = act("zhouqiang")
    scored = inspections.score(zhou, task, scores=full_marks(task), comment="整体良好")
    assert scored.total == Decimal("100.0") and scored.state == InspectionState.SCORED
    # 问题解决 weight 25 of 100, half marks → 87.5
    scored = inspections.score(zhou, task, scores=full_marks(task, 问题解决=5))
    assert scored.total == Decimal("87.5") and not scored.fatal
    scored = inspections.score(zhou, task, scores=full_marks(task, violated=("六不准",)))
    assert scored.total == Decimal("0") and scored.fatal
    with pytest.raises(Invalid):
        inspections.score(zhou, task, scores=full_marks(task, 问题解决=11))
    with pytest.raises(Invalid):
        inspections.score(zhou, task, scores={})


def test_sampling_random_percent_and_risk_picks_idempotent_QA1(demo, closed_case):
    cases = [closed_case() for _ in range(4)]
    unhappy = closed_case(satisfied=False)
    week = week_of(clock.today())
    made = sampling.draw(week)
    found = list(Inspection.objects.filter(week=week))
    random_picks = [i for i in found if i.origin == Origin.RANDOM]
    risk_picks = [i for i in found if i.origin == Origin.RISK]
    assert len(random_picks) == 1  # ceil(5 × 5 %) = 1
    assert made == len(found)
    if random_picks[0].case_id != unhappy.pk:
        assert [i.case_id for i in risk_picks] == [unhappy.pk] and risk_picks[0].risk == ["low_csat"]
    assert {i.inspector.user.username for i in found} == {"zhouqiang"}
    assert {i.agent_id for i in found} == {demo["zhaomin"].pk}
    assert sampling.draw(week) == 0  # run twice → same tasks
    assert sorted(i.pk for i in Inspection.objects.filter(week=week)) == sorted(i.pk for i in found)
    assert all(c.pk in {x.pk for x in cases} | {unhappy.pk} for c in [i.case for i in found])


def test_sampling_risk_factors_weighted_QA1(demo, closed_case):
    plain = [closed_case() for _ in range(5)]
    reopened = closed_case()
    Case.objects.filter(pk=reopened.pk).update(reopen_count=1)
    unhappy = closed_case(satisfied=False)
    sampling.draw(week_of(clock.today()))
    risk = {i.case_id: i.risk for i in Inspection.objects.filter(origin=Origin.RISK)}
    randoms = set(Inspection.objects.filter(origin=Origin.RANDOM).values_list("case_id", flat=True))
    assert len(randoms) == 1
    expected = {unhappy.pk, reopened.pk} - randoms
    assert set(risk) == expected and not set(risk) & {c.pk for c in plain}


def test_sampling_skips_cases_closed_outside_the_week_QA1(demo, closed_case):
    closed_case()
    assert sampling.draw(week_of(clock.today()) - timedelta(days=7)) == 0


def test_publish_and_appeal_window_QA1(demo, act, task, full_marks):
    zhou = act("zhouqiang")
    inspections.score(zhou, task, scores=full_marks(task, 问题解决=4))
    with pytest.raises(PermissionDenied):
        inspections.publish(act("tangning"), task)  # not the assigned inspector
    inspections.publish(zhou, task)
    deadline = queries.appeal_deadline(Inspection.objects.get(pk=task.pk))
    assert deadline == clock.now() + timedelta(days=3)
    with pytest.raises(PermissionDenied):
        appeals.file(act("sunli"), task, reason="不是我")
    clock.advance(timedelta(days=3, minutes=1))
    with pytest.raises(Invalid) as late:
        appeals.file(act("zhaomin"), task, reason="录音中已说您好")
    assert late.value.code == "quality_appeal_late"


def test_appeal_inside_window_ruled_by_a_second_inspector_QA1(demo, act, task, full_marks):
    zhou = act("zhouqiang")
    inspections.score(zhou, task, scores=full_marks(task, 十字服务用语=2))
    inspections.publish(zhou, task)
    clock.advance(timedelta(days=2))
    appeals.file(act("zhaomin"), task, reason="录音开头已说您好")
    assert Inspection.objects.get(pk=task.pk).state == InspectionState.APPEALED
    with pytest.raises(PermissionDenied) as same:
        appeals.rule(zhou, task, outcome="adjusted", ruling="改判", total=95)
    assert same.value.code == "quality_second_inspector"
    appeal = appeals.rule(
        act("tangning"), task, outcome="adjusted", ruling="录音核实已使用十字用语", total="95"
    )
    found = Inspection.objects.get(pk=task.pk)
    assert found.state == InspectionState.RULED and found.total == Decimal("95.0")
    assert appeal.original_total == Decimal("84.0") and appeal.ruler == demo["tangning"]
    start = clock.now() - timedelta(days=30)
    assert queries.scores(start=start, end=clock.now() + timedelta(seconds=1)) == {
        demo["zhaomin"].pk: {"sum": Decimal("95.0"), "count": 1}
    }


def test_unappealed_result_becomes_final_after_the_window_QA1(demo, act, task, full_marks):
    zhou = act("zhouqiang")
    inspections.score(zhou, task, scores=full_marks(task))
    inspections.publish(zhou, task)
    assert inspections.finalize_due() == 0
    start = clock.now()
    assert queries.scores(start=start, end=start + timedelta(days=30)) == {}
    clock.advance(timedelta(days=3, seconds=1))
    assert inspections.finalize_due() == 1
    assert inspections.finalize_due() == 0
    result = queries.scores(start=start, end=start + timedelta(days=30), agent_ids=[demo["zhaomin"].pk])
    assert result == {demo["zhaomin"].pk: {"sum": Decimal("100.0"), "count": 1}}


def test_agent_sees_own_published_result_only_QA1(demo, act, task, full_marks):
    with pytest.raises(NotFound):
        queries.inspection(act("zhaomin"), task.pk)  # not published yet
    zhou = act("zhouqiang")
    inspections.score(zhou, task, scores=full_marks(task))
    inspections.publish(zhou, task)
    assert queries.inspection(act("zhaomin"), task.pk) == task
    assert list(queries.my_results(act("zhaomin"))) == [task]
    with pytest.raises(NotFound):
        queries.inspection(act("sunli"), task.pk)
    assert queries.inspection(act("lina"), task.pk) == task  # her team's supervisor


def test_inspector_of_another_subsidiary_gets_404_QA1(demo, act, task, full_marks):
    org_actions.set_roles(
        act("admin") if "admin" in demo else _admin(),
        demo["zhengkai"],
        [Role.objects.get(code="qa_inspector")],
    )
    water_inspector = act("zhengkai")
    with pytest.raises(NotFound):
        queries.inspection(water_inspector, task.pk)
    with pytest.raises(NotFound):
        inspections.score(water_inspector, task, scores=full_marks(task))
    assert not list(queries.visible(water_inspector))


def _admin():
    return Actor(user=get_user_model().objects.get(username="admin"), origin="test")


def test_score_statement_count_QA1(demo, act, task, full_marks, django_assert_max_num_queries):
    zhou = act("zhouqiang")
    scores = full_marks(task)
    inspections.score(zhou, task, scores=scores)  # warms the grants
    with django_assert_max_num_queries(10):
        inspections.score(zhou, task, scores=scores)


def test_monday_schedule_samples_the_week_that_ended_QA1(demo, closed_case):
    case = closed_case()
    clock.advance(timedelta(days=7))  # the next Monday
    assert sampling.weekly(None) == 1
    found = Inspection.objects.get(case=case)
    assert found.week == week_of(clock.today()) - timedelta(days=7) and found.origin == Origin.RANDOM
    assert sampling.weekly(None) == 0


def test_configurer_draws_only_their_subsidiaries_QA1(demo, act, closed_case):
    closed_case()
    assert sampling.run_now(act("gaofeng")) == 0  # 华辰水务's manager: 华辰置业's cases are not theirs
    assert sampling.run_now(act("wangfang")) == 1
    with pytest.raises(PermissionDenied):
        sampling.run_now(act("zhouqiang"))


def test_kpi1_qa_score_is_the_mean_of_final_scores_in_the_readers_scope(demo, act, task, full_marks):  # KPI-1
    zhou = act("zhouqiang")
    inspections.score(zhou, task, scores=full_marks(task))
    inspections.publish(zhou, task)
    clock.advance(timedelta(days=3, seconds=1))
    inspections.finalize_due()  # final once the appeal window passed: 100 points, one inspection
    period = kpis.period_of("month", clock.today())
    lead = act("lina")
    mine = kpis.value(lead, "qa_score", kpis.scope_of(lead, agent=demo["zhaomin"].pk), period)
    assert mine.available and (mine.numerator, mine.denominator, mine.value) == (100.0, 1, 100.0)
    team = kpis.value(lead, "qa_score", kpis.Scope(), period)
    assert (team.numerator, team.denominator) == (100.0, 1)
    water = act("gaofeng")  # another subsidiary's manager sees no inspection of hers
    assert not kpis.value(water, "qa_score", kpis.Scope(), period).denominator
