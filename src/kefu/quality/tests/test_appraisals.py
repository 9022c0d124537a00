"""APR-1 appraisal and DIS-1 rewards and penalties: scheme weights, KPI → points on a hand-built data
set, publish visibility, ranking ties, coaching opened / continued / closed across rounds, proposals in
the discipline ledger confirmed by HR, the write target's scope and the statements of publishing."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from tests.pages.test_chinese_only import latin_shown

from kefu.cases.tests.test_api_cases import bearer
from kefu.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from kefu.discipline import actions as discipline
from kefu.discipline.models import Measure, PenaltyProposal, ProposalKind, ProposalStatus
from kefu.engine.notifications.models import Notification
from kefu.engine.policy import api as policy
from kefu.insights.models import DailyFact
from kefu.insights.queries import cards, kpis
from kefu.org.models import Unit
from kefu.quality.actions import appraisals as actions
from kefu.quality.demo_appraisals import load_appraisals
from kefu.quality.models import (
    AppraisalResult,
    AppraisalRound,
    AppraisalScheme,
    CoachingPlan,
    CoachingState,
    ItemKind,
    RoundState,
)
from kefu.quality.queries import appraisals as queries

pytestmark = pytest.mark.django_db

FEB = date(2026, 2, 10)
JAN = date(2026, 1, 10)
DEC = date(2025, 12, 10)


@pytest.fixture
def hotline(demo):
    return Unit.objects.get(code="realty-cs-hotline")


@pytest.fixture
def opened(demo, act, frozen, hotline):
    """opened(day=FEB, by="wangfang") → the round of 热线一组 for the month of `day`."""

    def make(day=FEB, by="wangfang", kind="month"):
        return actions.open_round(act(by), unit=hotline, period_kind=kind, day=day)

    return make


def _result(round_, username) -> AppraisalResult:
    return round_.results.get(employee__user__username=username)


def score_all(act, round_, points: dict, by="wangfang") -> None:
    """Every manual item of each named member gets the points given."""
    entries = []
    for username, value in points.items():
        result = _result(round_, username)
        for row in result.scores.filter(item__kind=ItemKind.MANUAL):
            entries.append({"result_id": result.pk, "item_id": row.item_id, "points": value})
    actions.score_many(act(by), round_, entries)


@pytest.fixture
def published(opened, act):
    """published(day, {"zhaomin": 95, "sunli": 60}) → the round opened, scored and published."""

    def make(day, points, by="wangfang"):
        round_ = opened(day=day, by=by)
        score_all(act, round_, points, by=by)
        return actions.publish(act(by), round_)

    return make


ITEMS = [
    {"kind": "kpi", "kpi_code": "satisfaction", "name": "满意度", "weight": 60},
    {"kind": "qa", "name": "质检", "weight": 30},
    {"kind": "manual", "name": "工作态度", "weight": 20},
]


def test_apr1_weights_must_total_100(demo, act, hotline):  # APR-1
    realty = hotline.parent.parent
    before = AppraisalScheme.objects.count()
    with pytest.raises(Invalid) as error:
        actions.save_scheme(
            act("wangfang"), unit=realty, period_kind="month", name="置业月度考核", items=ITEMS
        )
    assert error.value.code == "appraisal_weights_total" and "合计须为 100，当前为 110" in error.value.message
    with pytest.raises(Invalid) as error:
        actions.save_scheme(
            act("wangfang"),
            unit=realty,
            period_kind="month",
            name="置业月度考核",
            items=[{"kind": "kpi", "kpi_code": "nope", "weight": 100}],
        )
    assert error.value.code == "appraisal_item_kpi"
    assert AppraisalScheme.objects.count() == before  # nothing half-written
    items = [{**ITEMS[0], "weight": 50}, ITEMS[1], ITEMS[2]]
    scheme = actions.save_scheme(
        act("wangfang"), unit=realty, period_kind="month", name="置业月度考核", items=items
    )
    assert scheme.version == 1 and scheme.items.count() == 3
    assert queries.current_scheme(hotline, "month") == scheme
    again = actions.save_scheme(
        act("wangfang"), unit=realty, period_kind="month", name="置业月度考核", items=items
    )
    assert again.version == 2 and not AppraisalScheme.objects.get(pk=scheme.pk).active
    default = queries.current_scheme(hotline, "quarter")  # the group default stays for the quarter
    assert default.unit_id is None and default.system_default
    assert sum(i.weight for i in default.items.all()) == 100


def test_apr1_default_scheme_is_marked_system_default(demo):  # APR-1
    for kind in ("month", "quarter"):
        scheme = AppraisalScheme.objects.get(unit__isnull=True, period_kind=kind, active=True)
        kinds = {i.kind for i in scheme.items.all()}
        assert scheme.system_default and kinds == {"kpi", "qa", "manual"}
    for key in (queries.THRESHOLD, queries.OUTSTANDING, queries.PENALTY_AFTER):
        assert policy.lookup(key).default_not_from_seeds  # 本系统默认值


def test_apr1_kpi_points_rule():  # APR-1: how a KPI value becomes item points
    assert queries.kpi_points(92, 90, "higher") == 100  # target met → full points
    assert queries.kpi_points(81, 90, "higher") == Decimal("90.0")  # 81 / 90
    assert queries.kpi_points(2, 3, "lower") == 100
    assert queries.kpi_points(5, 3, "lower") == Decimal("60.0")  # 3 / 5
    assert queries.kpi_points(1, 0, "lower") == 0
    assert queries.kpi_points(None, 90, "higher") is None  # no data: left out
    assert queries.kpi_points(80, None, "higher") is None  # no target: left out
    # the weights of the items left out are renormalised over the others
    assert queries.total([(25, Decimal(100)), (10, None), (10, Decimal(50))]) == Decimal("85.7")
    assert queries.total([(10, None)]) is None


def _facts(employee, day, **counters):
    DailyFact.objects.create(day=day, unit=employee.unit, employee=employee, **counters)


def test_apr1_open_round_reads_the_kpis_of_a_hand_built_data_set(demo, opened):  # APR-1, KPI-1
    zhaomin = demo["zhaomin"]
    _facts(zhaomin, date(2026, 2, 3), answered=6, satisfied=5, received=6, complaints=1, resolved=6)
    _facts(
        zhaomin,
        date(2026, 2, 17),
        answered=4,
        satisfied=3,
        received=4,
        resolved=3,
        closed=5,
        closed_on_time=5,
    )
    _facts(zhaomin, date(2026, 3, 1), answered=9, satisfied=0)  # March: not in February's round
    round_ = opened()
    assert set(round_.results.values_list("employee__user__username", flat=True)) == {"zhaomin", "sunli"}
    scores = {
        s.item.kpi_code or s.item.kind: s for s in _result(round_, "zhaomin").scores.select_related("item")
    }
    # satisfaction 8/10 = 80 % against ≥ 90 %: 100 × 80 / 90
    assert scores["satisfaction"].value == Decimal("80.0") and scores["satisfaction"].target == 90
    assert scores["satisfaction"].points == Decimal("88.9")
    # complaint rate 1/10 = 10 % against ≤ 3 %: 100 × 3 / 10
    assert scores["complaint_rate"].value == Decimal("10.0") and scores["complaint_rate"].points == Decimal(
        "30.0"
    )
    # resolution 9/10 = 90 % against ≥ 90 %: met; on-time closure 5/5: met
    assert scores["resolution_rate"].points == 100 and scores["on_time_closure"].points == 100
    assert scores["qa"].excluded and scores["qa"].points is None  # no final inspection in February
    assert all(s.points is None for s in scores.values() if s.item.kind == ItemKind.MANUAL)
    # the total so far: the KPI items only, weights renormalised (25, 15, 10, 10)
    expected = queries.total(
        [(25, Decimal("88.9")), (15, Decimal(100)), (10, Decimal(100)), (10, Decimal(30))]
    )
    assert _result(round_, "zhaomin").total == expected
    sunli = {s.item.kpi_code or s.item.kind: s for s in _result(round_, "sunli").scores.all()}
    assert sunli["satisfaction"].excluded and "无数据" in sunli["satisfaction"].note


def test_apr1_one_round_per_unit_and_period(opened):  # APR-1
    opened()
    with pytest.raises(Conflict):
        opened()
    with pytest.raises(Invalid):
        opened(day=date(2026, 4, 1))  # a period that has not started


def test_apr1_publish_refused_until_scored_and_over(demo, act, opened):  # APR-1
    round_ = opened()
    with pytest.raises(Invalid) as error:
        actions.publish(act("wangfang"), round_)
    assert error.value.code == "appraisal_unscored" and "工作态度" in error.value.message
    running = opened(day=date(2026, 3, 1))  # March is still running
    score_all(act, running, {"zhaomin": 90, "sunli": 90})
    with pytest.raises(Invalid) as error:
        actions.publish(act("wangfang"), running)
    assert error.value.code == "appraisal_period_running"
    with pytest.raises(Invalid):
        actions.score_many(act("wangfang"), round_, [{"result_id": 0, "item_id": 0, "points": 101}])
    assert AppraisalRound.objects.get(pk=round_.pk).state == RoundState.OPEN


def test_apr1_a_person_sees_only_their_own_result_once_published(demo, act, opened):  # APR-1
    round_ = opened()
    score_all(act, round_, {"zhaomin": 95, "sunli": 80})
    mine, hers = _result(round_, "zhaomin"), _result(round_, "sunli")
    assert not queries.my_results(act("zhaomin")).exists()  # not before publishing
    with pytest.raises(NotFound):
        queries.result(act("zhaomin"), mine.pk)
    assert not queries.rounds(act("zhaomin")).exists()
    assert {r.pk for r in queries.results(queries.round_(act("lina"), round_.pk))} == {mine.pk, hers.pk}
    actions.publish(act("wangfang"), round_)
    assert list(queries.my_results(act("zhaomin"))) == [mine]
    assert queries.result(act("zhaomin"), mine.pk) == mine
    with pytest.raises(NotFound):
        queries.result(act("zhaomin"), hers.pk)  # never a colleague's
    note = Notification.objects.get(recipient=demo["zhaomin"].user, template="quality.appraisal_published")
    assert "95" in note.body and "第 1 名" in note.body
    client = Client()
    client.force_login(demo["zhaomin"].user)
    page = client.get(f"/quality/appraisals/results/{mine.pk}/").content.decode()
    assert "公司客服部设置月度和季度绩效考核" in page  # the clause it comes from
    assert client.get(f"/quality/appraisals/results/{hers.pk}/").status_code == 404


def test_apr1_ranking_ties():  # APR-1
    ranked = queries.rank(
        [(1, Decimal(90)), (2, Decimal(90)), (3, Decimal(80)), (4, Decimal(60))],
        outstanding=1,
        threshold=Decimal(70),
    )
    by_id = {r.result_id: r for r in ranked}
    assert (by_id[1].rank, by_id[2].rank, by_id[3].rank, by_id[4].rank) == (1, 1, 3, 4)
    assert by_id[1].tied and by_id[2].tied and not by_id[3].tied
    assert by_id[1].outstanding and by_id[2].outstanding and not by_id[3].outstanding  # tied at the place
    assert by_id[4].below and not by_id[4].outstanding
    below = queries.rank([(1, Decimal(60))], outstanding=1, threshold=Decimal(70))
    assert not below[0].outstanding  # first but below the threshold: not outstanding


def test_apr1_tied_round_names_both_and_explains(published):  # APR-1
    round_ = published(FEB, {"zhaomin": 88, "sunli": 88})
    results = queries.results(round_)
    assert [r.rank for r in results] == [1, 1] and all(r.outstanding and r.tied for r in results)
    assert "并列第 1 名" in queries.tie_text(results[0], round_)
    rewards = PenaltyProposal.objects.filter(kind=ProposalKind.REWARD, offence="appraisal_outstanding")
    assert rewards.count() == 2


def test_apr1_coaching_opened_continued_and_closed_across_rounds(demo, act, published):  # APR-1
    published(DEC, {"zhaomin": 95, "sunli": 60})
    plan = CoachingPlan.objects.get(employee=demo["sunli"])
    assert plan.state == CoachingState.OPEN and plan.coach == demo["lina"] and plan.threshold == 70
    assert Notification.objects.filter(
        recipient=demo["lina"].user, template="quality.coaching_opened"
    ).exists()
    actions.note(act("lina"), plan, text="每周复盘两通录音")
    with pytest.raises(NotFound):
        actions.note(act("zhaomin"), plan, text="不是我的计划")
    published(JAN, {"zhaomin": 95, "sunli": 65})
    plan.refresh_from_db()
    assert plan.state == CoachingState.OPEN and plan.rounds_missed == 1  # still below: continues
    feb = published(FEB, {"zhaomin": 95, "sunli": 80})
    plan.refresh_from_db()
    assert plan.state == CoachingState.MET and plan.closed_round == feb and plan.closed_at is not None
    assert CoachingPlan.objects.filter(employee=demo["sunli"]).count() == 1
    assert not plan.penalty_proposed
    assert list(queries.plans(act("sunli"))) == [plan]
    assert not queries.plans(act("zhaomin")).exists()


def test_dis1_rewards_and_penalties_are_proposals_hr_confirms(demo, act, published):  # DIS-1, APR-1
    published(DEC, {"zhaomin": 95, "sunli": 60})
    published(JAN, {"zhaomin": 95, "sunli": 60})
    assert not PenaltyProposal.objects.filter(employee=demo["sunli"]).exists()  # one round missed: not yet
    published(FEB, {"zhaomin": 95, "sunli": 60})  # the second later round still below (pack: 2)
    penalty = PenaltyProposal.objects.get(employee=demo["sunli"])
    assert penalty.kind == ProposalKind.PENALTY and penalty.measure == Measure.WARNING
    assert penalty.offence == "appraisal_not_met" and penalty.status == ProposalStatus.PROPOSED
    assert penalty.rule == "APR-1" and "表现差的员工将受到处罚" in penalty.clause
    rewards = PenaltyProposal.objects.filter(employee=demo["zhaomin"]).order_by("pk")
    assert [(r.kind, r.measure, r.status) for r in rewards] == [
        (ProposalKind.REWARD, Measure.COMMENDATION, ProposalStatus.PROPOSED)
    ] * 3
    assert "对表现优异的员工给予表彰和奖励" in rewards[0].clause
    # HR confirms a reward as it confirms a penalty (the existing confirm flow)
    confirmed = discipline.decide(act("majun"), rewards[0], confirm=True, reason="评为本月优秀员工")
    assert confirmed.status == ProposalStatus.CONFIRMED
    rejected = discipline.decide(act("majun"), penalty, confirm=False, reason="已调岗培训，暂不处分")
    assert rejected.status == ProposalStatus.REJECTED
    with pytest.raises(NotFound):
        discipline.decide(act("gaofeng"), rewards[1], confirm=True, reason="别家公司")


def test_apr1_a_manager_of_another_subsidiary_cannot_open_score_or_publish(
    demo, act, opened, hotline
):  # APR-1
    with pytest.raises(NotFound):
        actions.open_round(act("gaofeng"), unit=hotline, period_kind="month", day=FEB)
    with pytest.raises(PermissionDenied):
        actions.open_round(act("zhaomin"), unit=hotline, period_kind="month", day=FEB)
    round_ = opened()
    result = _result(round_, "sunli")
    item = result.scores.filter(item__kind=ItemKind.MANUAL).first().item_id
    with pytest.raises(NotFound):
        actions.score_many(act("gaofeng"), round_, [{"result_id": result.pk, "item_id": item, "points": 10}])
    with pytest.raises(NotFound):
        actions.publish(act("gaofeng"), round_)
    with pytest.raises(NotFound):
        queries.round_(act("gaofeng"), round_.pk)
    assert result.scores.get(item_id=item).points is None


def test_apr1_publishing_runs_a_bounded_number_of_statements(act, opened, django_assert_max_num_queries):
    """APR-1: publishing a round (rank, reward proposal, coaching plan, notifications, decisions) reads and
    writes in a bounded number of statements, not one query per item."""
    round_ = opened()
    score_all(act, round_, {"zhaomin": 95, "sunli": 60})
    me = act("wangfang")
    with django_assert_max_num_queries(75):
        actions.publish(me, round_)


def test_apr1_card_rows_for_the_agent_card(demo, act, published):  # APR-1
    published(FEB, {"zhaomin": 95, "sunli": 60})
    period = kpis.period_of("month", FEB)
    rows = queries.card_rows(act("sunli"), demo["sunli"], period)
    labels = [label for label, _value, _url in rows]
    assert len(rows) == 3 and "辅导计划" in labels[2]
    assert queries.card_rows(act("zhaomin"), demo["sunli"], period) is None  # not a colleague's
    assert queries.card_rows(act("lina"), demo["sunli"], period) is not None
    assert queries.card_rows(act("sunli"), demo["sunli"], kpis.period_of("month", JAN)) is None


def test_apr1_the_result_is_a_section_of_the_agent_card(demo, act, published):  # APR-1, KPI-1
    published(FEB, {"zhaomin": 95, "sunli": 60})
    shown = cards.sections(act("lina"), demo["sunli"], kpis.period_of("month", FEB))
    appraisal = next(s for s in shown if s.section.key == "appraisal")
    assert str(appraisal.section.title) == "绩效考核" and len(appraisal.lines) == 3


def test_apr1_api_open_score_publish(demo, frozen, hotline):  # APR-1
    auth = bearer(demo["wangfang"].user)
    client = Client()
    made = client.post(
        "/api/v1/quality/appraisals/rounds",
        {"unit_id": hotline.pk, "period_kind": "month", "day": "2026-02-01"},
        content_type="application/json",
        **auth,
    )
    assert made.status_code == 201, made.content
    body = made.json()
    for result in body["results"]:
        for score in result["scores"]:
            if score["kind"] == "manual":
                answer = client.post(
                    f"/api/v1/quality/appraisals/rounds/{body['id']}/scores",
                    {"result_id": result["id"], "item_id": score["item_id"], "points": 85},
                    content_type="application/json",
                    **auth,
                )
                assert answer.status_code == 200, answer.content
    published = client.post(f"/api/v1/quality/appraisals/rounds/{body['id']}/publish", **auth)
    assert published.status_code == 200 and published.json()["state"] == "published"
    again = client.post(f"/api/v1/quality/appraisals/rounds/{body['id']}/publish", **auth)
    assert again.status_code == 409 and again.json()["error"]["code"] == "appraisal_published"
    bad = client.post(
        "/api/v1/quality/appraisals/schemes",
        {"period_kind": "month", "name": "x", "items": [{"kind": "manual", "name": "态度", "weight": 50}]},
        content_type="application/json",
        **auth,
    )
    assert bad.status_code in (400, 404)
    mine = client.get("/api/v1/quality/appraisals/mine", **bearer(demo["zhaomin"].user))
    assert mine.status_code == 200 and len(mine.json()) == 1


def test_apr1_pages(demo, act, published):  # APR-1
    round_ = published(FEB, {"zhaomin": 95, "sunli": 60})
    plan = CoachingPlan.objects.get(employee=demo["sunli"])
    client = Client()
    client.force_login(demo["wangfang"].user)
    for path in (
        "/quality/appraisals/",
        f"/quality/appraisals/{round_.pk}/",
        "/quality/coaching/",
        f"/quality/coaching/{plan.pk}/",
    ):
        page = client.get(path)
        assert page.status_code == 200, path
    client.force_login(demo["sunli"].user)
    page = client.get("/quality/appraisals/mine/").content.decode()
    assert "2026年02月" in page and "辅导" in page
    assert client.get(f"/quality/appraisals/{round_.pk}/").status_code == 404


def test_demo_appraisals_APR1_DIS1(demo, admin_actor):  # APR-1, DIS-1
    made = load_appraisals(admin_actor)
    last = AppraisalRound.objects.get(pk=made["rounds"][-1])
    assert last.state == RoundState.PUBLISHED and last.unit.code == "realty-cs-hotline"
    assert _result(last, "zhaomin").outstanding
    plan = CoachingPlan.objects.get(employee=demo["sunli"], state=CoachingState.OPEN)
    assert plan.coach == demo["lina"] and plan.penalty_proposed and plan.notes.exists()
    pending = PenaltyProposal.objects.filter(status=ProposalStatus.PROPOSED, rule="APR-1")
    assert {(p.employee.user.username, p.kind) for p in pending} == {
        ("zhaomin", ProposalKind.REWARD),
        ("sunli", ProposalKind.PENALTY),
    }
    names = {"wangfang", "zhaomin", "sunli", "lina"}
    pages = {
        "wangfang": ["/quality/appraisals/", f"/quality/appraisals/{last.pk}/", "/quality/coaching/"],
        "lina": [f"/quality/coaching/{plan.pk}/", f"/quality/appraisals/{last.pk}/"],
        "zhaomin": [
            "/quality/appraisals/mine/",
            f"/quality/appraisals/results/{_result(last, 'zhaomin').pk}/",
        ],
        "sunli": ["/quality/appraisals/mine/", f"/quality/coaching/{plan.pk}/"],
        "majun": ["/discipline/"],
    }
    for who, urls in pages.items():
        client = Client()
        client.force_login(demo[who].user)
        for page in urls:
            response = client.get(page)
            assert response.status_code == 200, (who, page)
            html = response.content.decode()
            assert not latin_shown(html, names), (who, page, latin_shown(html, names))


def test_apr1_pages_open_score_and_publish_with_confirmation(demo, frozen, hotline):  # APR-1
    client = Client()
    client.force_login(demo["wangfang"].user)
    opened = client.post("/quality/appraisals/", {"unit": hotline.pk, "period": "month:2026-02-01"})
    round_ = AppraisalRound.objects.get(unit=hotline, period_start=date(2026, 2, 1))
    assert opened.status_code == 302 and opened["Location"] == f"/quality/appraisals/{round_.pk}/"
    form = {"what": "scores"}
    for result in round_.results.all():
        for row in result.scores.filter(item__kind=ItemKind.MANUAL):
            form[f"p_{result.pk}_{row.item_id}"] = "88"
    client.post(f"/quality/appraisals/{round_.pk}/", form)
    assert all(r.total == Decimal(88) for r in round_.results.all())
    client.post(f"/quality/appraisals/{round_.pk}/", {"what": "publish"})  # not confirmed: nothing
    assert AppraisalRound.objects.get(pk=round_.pk).state == RoundState.OPEN
    client.post(f"/quality/appraisals/{round_.pk}/", {"what": "publish", "confirm": "on"})
    assert AppraisalRound.objects.get(pk=round_.pk).state == RoundState.PUBLISHED
    client.force_login(demo["gaofeng"].user)  # another subsidiary's manager: not even seen
    assert (
        client.post(f"/quality/appraisals/{round_.pk}/", {"what": "publish", "confirm": "on"}).status_code
        == 404
    )


def test_apr1_scheme_page_refuses_weights_not_totalling_100(demo, hotline):  # APR-1
    client = Client()
    client.force_login(demo["wangfang"].user)
    assert client.get("/quality/appraisals/schemes/?kind=quarter").status_code == 200
    form = {
        "name": "置业季度考核",
        "rows": "2",
        "name_0": "客户满意度",
        "kind_0": "kpi",
        "kpi_0": "satisfaction",
        "weight_0": "60",
        "name_1": "工作态度",
        "kind_1": "manual",
        "weight_1": "30",
    }
    page = client.post("/quality/appraisals/schemes/?kind=quarter", form, follow=True).content.decode()
    assert "各考核项权重合计须为 100，当前为 90" in page
    assert not AppraisalScheme.objects.filter(unit__isnull=False).exists()
    client.post("/quality/appraisals/schemes/?kind=quarter", {**form, "weight_1": "40"})
    saved = AppraisalScheme.objects.get(unit__isnull=False)
    assert saved.period_kind == "quarter" and saved.unit == hotline.parent.parent and saved.items.count() == 2
    client.force_login(demo["zhaomin"].user)
    assert client.get("/quality/appraisals/schemes/").status_code == 403
