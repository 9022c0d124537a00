"""DRL-1 emergency drills: at least `emergency.drills_per_year` drills per plan per calendar year (seed 003
"每年至少进行一次应急演练") — the plans short of them are "due"; drills scheduled → held (participants, step
timings) → evaluated (every held drill: 待评估 until then), or cancelled with a reason; corrective actions
tracked to closure (optionally a plan revision task); reminders once each; the annual execution summary
(seed 003 "每年对应急预案的执行情况进行总结") with its sections, PDF and Excel; the API and the pages."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from openpyxl import load_workbook

from kefu.cases.tests.test_api_cases import bearer
from kefu.core import clock
from kefu.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from kefu.core.models import AuditEvent
from kefu.emergency.actions import drills as actions
from kefu.emergency.actions import plans as plan_actions
from kefu.emergency.exports import drills as exports
from kefu.emergency.models import Drill, DrillAction, DrillStatus, RevisionTask
from kefu.emergency.queries import drills as queries
from kefu.engine.notifications.models import Notification
from kefu.engine.schedules.registry import SCHEDULES

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(act, realty, frozen):
    """王芳's fire plan for 华辰置业 (version 1, from the template)."""
    return plan_actions.create_from_template(act("wangfang"), unit=realty, plan_type="fire")


def _schedule(act, plan, demo, *, days=3, who="wangfang"):
    return actions.schedule(
        act(who),
        plan,
        scheduled_for=clock.now() + timedelta(days=days),
        scenario="客服大厅火灾疏散",
        place="客服大厅",
        organiser=demo["lina"],
    )


def _hold(act, drill, demo, *, steps=()):
    return actions.record_held(
        act("wangfang"),
        drill,
        held_at=clock.now() - timedelta(hours=1),
        summary="疏散用时 4 分钟",
        participants=[(demo["lina"], True), (demo["zhaomin"], True), (demo["sunli"], False)],
        steps=steps,
    )


def test_drl1_schedule_refusals(plan, act, demo):
    with pytest.raises(Invalid) as error:  # a time in the past
        actions.schedule(
            act("wangfang"),
            plan,
            scheduled_for=clock.now() - timedelta(minutes=1),
            scenario="火灾",
            place="大厅",
            organiser=demo["lina"],
        )
    assert "须晚于现在" in error.value.zh
    with pytest.raises(Invalid) as error:
        actions.schedule(
            act("wangfang"), plan, scheduled_for="明天", scenario="火灾", place="大厅", organiser=demo["lina"]
        )
    assert "格式不正确" in error.value.zh
    with pytest.raises(Invalid):  # no scenario
        actions.schedule(
            act("wangfang"),
            plan,
            scheduled_for=clock.now() + timedelta(days=1),
            scenario=" ",
            place="大厅",
            organiser=demo["lina"],
        )
    with pytest.raises(Invalid) as error:  # an organiser of the other subsidiary
        actions.schedule(
            act("wangfang"),
            plan,
            scheduled_for=clock.now() + timedelta(days=1),
            scenario="火灾",
            place="大厅",
            organiser=demo["lvxin"],
        )
    assert "不是本公司在职人员" in error.value.zh
    for outsider in ("gaofeng", "zhaomin"):  # the other subsidiary's manager; an agent
        with pytest.raises(PermissionDenied):
            _schedule(act, plan, demo, who=outsider)
    assert Drill.objects.count() == 0
    drill = _schedule(act, plan, demo)
    assert drill.version.number == 1 and drill.status == DrillStatus.SCHEDULED
    assert AuditEvent.objects.filter(action="emergency.drill.schedule").count() == 1
    with pytest.raises(NotFound):
        queries.drill(act("gaofeng"), drill.pk)
    with pytest.raises(NotFound):
        queries.drill(act("zhaomin"), drill.pk)
    assert queries.drill(act("zhangwei"), drill.pk) == drill  # emergency.view over the group


def test_drl1_plans_due_this_year(plan, act, demo, realty):
    def due(who="wangfang"):
        return [p.pk for p in queries.due_plans(act(who))]

    assert plan.pk in due() and plan.pk not in due("gaofeng")
    assert queries.per_year(realty) == 1  # the pack's emergency.drills_per_year, seed 003
    drill = _schedule(act, plan, demo)
    assert plan.pk not in due()  # a drill scheduled this year counts
    actions.cancel(act("wangfang"), drill, reason="与消防检查冲突")
    assert plan.pk in due()  # a cancelled one does not
    nextyear = datetime(2027, 1, 10, 2, 0, tzinfo=UTC)
    actions.schedule(
        act("wangfang"), plan, scheduled_for=nextyear, scenario="火灾", place="大厅", organiser=demo["lina"]
    )
    assert plan.pk in due()  # next year's drill does not count for this year
    assert [p.pk for p in queries.due_plans(act("wangfang"), 2027)].count(plan.pk) == 0


def test_drl1_reschedule_and_cancel(plan, act, demo):
    drill = _schedule(act, plan, demo)
    with pytest.raises(Invalid):
        actions.reschedule(act("wangfang"), drill, scheduled_for=clock.now() - timedelta(days=1))
    later = clock.now() + timedelta(days=10)
    actions.reschedule(act("wangfang"), drill, scheduled_for=later, place="二楼会议室")
    assert drill.scheduled_for == later and drill.place == "二楼会议室"
    with pytest.raises(Invalid):  # a reason is required
        actions.cancel(act("wangfang"), drill, reason="")
    with pytest.raises(PermissionDenied):
        actions.cancel(act("gaofeng"), drill, reason="不需要")
    actions.cancel(act("wangfang"), drill, reason="台风")
    assert drill.status == DrillStatus.CANCELLED and drill.cancel_reason == "台风"
    with pytest.raises(Conflict):
        actions.reschedule(act("wangfang"), drill, scheduled_for=later)
    with pytest.raises(Conflict):
        actions.cancel(act("wangfang"), drill, reason="再取消")
    with pytest.raises(Conflict):
        _hold(act, drill, demo)


def test_drl1_held_steps_then_evaluation_required(plan, act, demo):
    drill = _schedule(act, plan, demo, days=1)
    with pytest.raises(Conflict):  # evaluation only after the drill was held
        actions.evaluate(act("wangfang"), drill, score=80, grade="good", evaluation="好")
    clock.advance(timedelta(days=2))
    start = clock.now() - timedelta(minutes=50)
    with pytest.raises(Invalid) as error:  # a step finishing before it starts
        _hold(
            act,
            drill,
            demo,
            steps=[{"position": 1, "started_at": start, "finished_at": start - timedelta(minutes=1)}],
        )
    assert "结束时间不能早于开始时间" in error.value.zh
    with pytest.raises(Invalid):  # a step the version does not have
        _hold(act, drill, demo, steps=[{"position": 99}])
    with pytest.raises(Invalid):  # nobody attended
        actions.record_held(
            act("wangfang"), drill, held_at=clock.now(), summary="无人", participants=[(demo["lina"], False)]
        )
    with pytest.raises(Invalid):  # held in the future
        actions.record_held(
            act("wangfang"),
            drill,
            held_at=clock.now() + timedelta(hours=1),
            summary="x",
            participants=[(demo["lina"], True)],
        )
    assert Drill.objects.get(pk=drill.pk).status == DrillStatus.SCHEDULED  # nothing half-written
    _hold(
        act,
        drill,
        demo,
        steps=[
            {"position": 1, "started_at": start, "finished_at": start + timedelta(minutes=4), "result": "ok"},
            {"position": 2, "duration_minutes": 7, "result": "problem", "note": "广播未响"},
        ],
    )
    assert drill.status == DrillStatus.HELD and drill.get_status_display() == "待评估"
    steps = list(drill.steps.order_by("position"))
    assert len(steps) == drill.version.steps.count()  # the version's steps, copied
    assert steps[0].duration_minutes == 4 and steps[1].duration_minutes == 7 and steps[1].note == "广播未响"
    assert steps[2].result == "" and steps[2].text == drill.version.steps.get(position=3).text
    assert drill.participants.count() == 3 and drill.participants.filter(attended=True).count() == 2
    assert [d.pk for d in queries.grouped(act("wangfang"))["to_evaluate"]] == [drill.pk]
    with pytest.raises(Conflict):  # held once
        _hold(act, drill, demo)
    with pytest.raises(Invalid):
        actions.evaluate(act("wangfang"), drill, score=101, grade="good", evaluation="好")
    with pytest.raises(Invalid):
        actions.evaluate(act("wangfang"), drill, score=80, grade="best", evaluation="好")
    with pytest.raises(PermissionDenied):
        actions.evaluate(act("lina"), drill, score=80, grade="good", evaluation="好")
    actions.evaluate(act("wangfang"), drill, score=82, grade="good", evaluation="疏散及时，广播需检修")
    assert drill.status == DrillStatus.EVALUATED and drill.evaluated_by == demo["wangfang"]
    with pytest.raises(Conflict):  # evaluated once
        actions.evaluate(act("wangfang"), drill, score=90, grade="excellent", evaluation="再评")
    assert AuditEvent.objects.filter(action__startswith="emergency.drill.").count() == 3


def test_drl1_corrective_actions_tracked_to_closure(plan, act, demo):
    drill = _schedule(act, plan, demo, days=1)
    with pytest.raises(Conflict):  # only a held drill has corrective actions
        actions.add_action(act("wangfang"), drill, text="检修广播", owner=demo["lina"], due_on=clock.today())
    clock.advance(timedelta(days=2))
    _hold(act, drill, demo)
    with pytest.raises(Invalid):
        actions.add_action(
            act("wangfang"),
            drill,
            text="检修广播",
            owner=demo["lina"],
            due_on=clock.today() - timedelta(days=1),
        )
    with pytest.raises(Invalid):
        actions.add_action(act("wangfang"), drill, text="检修广播", owner=demo["lvxin"], due_on=clock.today())
    fix = actions.add_action(
        act("wangfang"), drill, text="检修广播", owner=demo["lina"], due_on=clock.today() + timedelta(days=5)
    )
    revise = actions.add_action(
        act("wangfang"),
        drill,
        text="预案补充夜间疏散路线",
        owner=demo["lina"],
        due_on=clock.today() + timedelta(days=20),
        revise_plan=True,
    )
    task = RevisionTask.objects.get()
    assert (
        revise.revision == task
        and task.reason == "drill"
        and task.plan == plan
        and "夜间疏散" in task.description
    )
    clock.advance(timedelta(days=6))
    rows = {a.pk: a for a in queries.detail(drill)["actions"]}
    assert rows[fix.pk].is_overdue and not rows[revise.pk].is_overdue
    with pytest.raises(PermissionDenied):
        actions.close_action(act("gaofeng"), fix)
    actions.close_action(act("wangfang"), fix, note="已更换功放")
    assert fix.closed_at is not None and fix.closing_note == "已更换功放"
    with pytest.raises(Conflict):
        actions.close_action(act("wangfang"), fix)
    assert not queries.detail(drill)["actions"][0].is_overdue


def test_drl1_reminders_once_each(plan, act, demo):
    assert "emergency.drill_reminders" in SCHEDULES

    def sent(template):
        return Notification.objects.filter(template=template)

    told = actions.remind()
    assert told == 1 and actions.remind() == 0  # the plan due this year: once (this month)
    due = {n.recipient.username for n in sent("emergency.drill_due")}
    assert "wangfang" in due and "gaofeng" not in due  # the plan's owner (and the command centre)
    drill = _schedule(act, plan, demo, days=20)
    assert actions.remind() == 0  # 20 days ahead: outside the pack's 7 days
    clock.advance(timedelta(days=14))
    assert actions.remind() == 1 and actions.remind() == 0
    upcoming = sent("emergency.drill_upcoming")
    assert {"lina", "wangfang"} <= {n.recipient.username for n in upcoming}
    count = upcoming.count()
    actions.reschedule(act("wangfang"), drill, scheduled_for=clock.now() + timedelta(days=3))
    assert actions.remind() == 1 and sent("emergency.drill_upcoming").count() == 2 * count  # the new time
    clock.advance(timedelta(days=4))
    _hold(act, drill, demo)
    actions.add_action(act("wangfang"), drill, text="补充灭火器", owner=demo["zhaomin"], due_on=clock.today())
    clock.advance(timedelta(days=1))
    assert actions.remind() == 1 and actions.remind() == 0
    assert {n.recipient.username for n in sent("emergency.drill_action_overdue")} == {"zhaomin", "wangfang"}
    clock.advance(timedelta(days=40))  # a new month: the plan is no longer due (held this year)
    assert actions.remind() == 0


def _held_drill(act, plan, demo, *, score=None, action_closed=None):
    drill = _schedule(act, plan, demo, days=1)
    clock.advance(timedelta(days=2))
    _hold(act, drill, demo)
    if score is not None:
        actions.evaluate(act("wangfang"), drill, score=score, grade="good", evaluation="评估")
    if action_closed is not None:
        row = actions.add_action(
            act("wangfang"), drill, text="整改", owner=demo["lina"], due_on=clock.today()
        )
        if action_closed:
            actions.close_action(act("wangfang"), row)
    return drill


def test_drl1_summary_numbers_by_hand(act, realty, water, demo):
    clock.freeze(datetime(2025, 6, 2, 2, 0, tzinfo=UTC))
    fire = plan_actions.create_from_template(act("wangfang"), unit=realty, plan_type="fire")
    crime = plan_actions.create_from_template(act("wangfang"), unit=realty, plan_type="crime")
    plan_actions.create_from_template(act("gaofeng"), unit=water, plan_type="fire")  # another unit
    _held_drill(act, fire, demo, score=60)  # 2025: not this summary's year
    clock.freeze(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
    _held_drill(act, fire, demo, score=80, action_closed=True)
    _held_drill(act, fire, demo, score=90, action_closed=False)  # open and (a day later) overdue
    _held_drill(act, crime, demo)  # held, not evaluated
    cancelled = _schedule(act, crime, demo)
    actions.cancel(act("wangfang"), cancelled, reason="取消")
    _schedule(act, crime, demo, days=30)  # scheduled, not held yet
    clock.advance(timedelta(days=1))
    found = queries.summary(realty, 2026)
    assert {p.pk for p in found.plans} == {fire.pk, crime.pk}
    by = {p.pk: p for p in found.plans}
    assert (by[fire.pk].held, by[fire.pk].evaluated, by[fire.pk].average) == (2, 2, 85)
    assert (by[crime.pk].held, by[crime.pk].evaluated, by[crime.pk].average) == (1, 0, None)
    assert (found.due, found.held, found.evaluated, found.scheduled, found.short) == (2, 3, 2, 1, 0)
    assert found.average == 85.0
    assert (found.actions_open, found.actions_overdue, found.actions_closed) == (1, 1, 1)
    last = queries.summary(realty, 2025)
    assert (last.held, last.evaluated, last.average, last.short) == (1, 1, 60.0, 1)  # crime had none


def test_drl1_summary_sections_pdf_and_excel(plan, act, demo, realty):
    _held_drill(act, plan, demo, score=75, action_closed=False)

    def incidents(unit, year):
        return ("突发事件", ["事件", "级别"], [["<b>停电</b> & 抢修", "=1+1"]])

    queries.register_summary_section(incidents)
    queries.register_summary_section(incidents)  # once
    try:
        found = queries.summary(realty, clock.today().year)
        assert found.sections.count(incidents(realty, 0)) == 1  # beside the incidents module's own
        pdf = exports.summary_pdf(found)
        assert pdf.startswith(b"%PDF")
        sheet = load_workbook(io.BytesIO(exports.summary_workbook(found))).active
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        assert ["已实施演练", 1] in [v[:2] for v in values]
        assert ["平均评估得分", "75.0"] in [v[:2] for v in values]
        assert ["<b>停电</b> & 抢修", "=1+1"] in [v[:2] for v in values]  # typed text stays text
        client = Client()
        client.force_login(demo["wangfang"].user)
        page = client.get(f"/emergency/drills/summary/?year={clock.today().year}")
        assert page.status_code == 200 and "突发事件" in page.content.decode()
    finally:
        queries.SECTIONS.remove(incidents)


def test_drl1_api_round_trip(plan, demo):
    api = Client()
    me = bearer(demo["wangfang"].user)
    when = (clock.now() + timedelta(days=2)).isoformat()
    made = api.post(
        "/api/v1/emergency/drills",
        {
            "plan_id": plan.pk,
            "scheduled_for": when,
            "scenario": "火灾疏散",
            "place": "大厅",
            "organiser_id": demo["lina"].pk,
        },
        content_type="application/json",
        **me,
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["status"] == "scheduled" and made.json()["version_number"] == 1
    past = api.post(
        "/api/v1/emergency/drills",
        {
            "plan_id": plan.pk,
            "scheduled_for": "2020-01-01T00:00:00Z",
            "scenario": "x",
            "place": "x",
            "organiser_id": demo["lina"].pk,
        },
        content_type="application/json",
        **me,
    )
    assert past.status_code == 400 and past.json()["error"]["code"] == "drill_time_past"
    due = api.get("/api/v1/emergency/drills/due", **me)
    assert due.status_code == 200 and plan.pk not in [p["plan_id"] for p in due.json()]
    early = api.post(
        f"/api/v1/emergency/drills/{pk}/evaluation",
        {"score": 80, "grade": "good", "evaluation": "好"},
        content_type="application/json",
        **me,
    )
    assert early.status_code == 409
    clock.advance(timedelta(days=3))
    start = clock.now() - timedelta(hours=2)
    held = {
        "held_at": (clock.now() - timedelta(hours=1)).isoformat(),
        "summary": "顺利",
        "participants": [
            {"employee_id": demo["lina"].pk},
            {"employee_id": demo["zhaomin"].pk, "attended": False},
        ],
        "steps": [
            {
                "position": 1,
                "started_at": start.isoformat(),
                "finished_at": (start - timedelta(minutes=5)).isoformat(),
            }
        ],
    }
    bad = api.post(f"/api/v1/emergency/drills/{pk}/held", held, content_type="application/json", **me)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "drill_step_order"
    held["steps"][0]["finished_at"] = (start + timedelta(minutes=5)).isoformat()
    ok = api.post(f"/api/v1/emergency/drills/{pk}/held", held, content_type="application/json", **me)
    assert ok.status_code == 200, ok.content
    body = ok.json()
    assert body["status"] == "held" and body["steps"][0]["duration_minutes"] == 5
    assert len(body["participants"]) == 2
    hidden = api.post(
        f"/api/v1/emergency/drills/{pk}/evaluation",
        {"score": 80, "grade": "good", "evaluation": "好"},
        content_type="application/json",
        **bearer(demo["gaofeng"].user),
    )
    assert hidden.status_code == 404
    done = api.post(
        f"/api/v1/emergency/drills/{pk}/evaluation",
        {"score": 80, "grade": "good", "evaluation": "好"},
        content_type="application/json",
        **me,
    )
    assert done.status_code == 200 and done.json()["score"] == 80
    row = api.post(
        f"/api/v1/emergency/drills/{pk}/actions",
        {"text": "补充标识", "owner_id": demo["lina"].pk, "due_on": str(clock.today() + timedelta(days=3))},
        content_type="application/json",
        **me,
    )
    assert row.status_code == 201, row.content
    closed = api.post(
        f"/api/v1/emergency/drills/actions/{row.json()['id']}/close",
        {"note": "完成"},
        content_type="application/json",
        **me,
    )
    assert closed.status_code == 200 and closed.json()["closed_at"]
    again = api.post(
        f"/api/v1/emergency/drills/actions/{row.json()['id']}/close",
        {},
        content_type="application/json",
        **me,
    )
    assert again.status_code == 409
    one = api.get(f"/api/v1/emergency/drills/{pk}", **me).json()
    assert one["actions"][0]["closing_note"] == "完成" and one["status"] == "evaluated"
    summary = api.get(f"/api/v1/emergency/drills/summary?year={clock.today().year}", **me)
    assert summary.status_code == 200, summary.content
    assert summary.json()["held"] == 1 and summary.json()["actions_closed"] == 1
    listed = api.get("/api/v1/emergency/drills?status=evaluated", **me)
    assert listed.json()["count"] == 1
    assert api.get("/api/v1/emergency/drills", **bearer(demo["gaofeng"].user)).json()["count"] == 0


def test_drl1_pages(plan, demo):
    client = Client()
    client.force_login(demo["wangfang"].user)
    page = client.get("/emergency/drills/")
    html = page.content.decode()
    assert page.status_code == 200 and "应急演练" in html and f'id="due-{plan.pk}"' in html
    when = clock.local(clock.now() + timedelta(days=1))
    made = client.post(
        "/emergency/drills/",
        {
            "plan": plan.pk,
            "scheduled_for": f"{when:%Y-%m-%dT%H:%M}",
            "scenario": "火灾",
            "place": "大厅",
            "organiser": demo["lina"].pk,
        },
    )
    assert made.status_code == 302, made.content
    drill = Drill.objects.get()
    assert f'id="due-{plan.pk}"' not in client.get("/emergency/drills/").content.decode()
    detail = client.get(f"/emergency/drills/{drill.pk}/")
    assert detail.status_code == 200 and "登记演练实施" in detail.content.decode()
    clock.advance(timedelta(days=2))
    client = Client()  # the session idled out over the two days
    client.force_login(demo["wangfang"].user)
    held_at = clock.local(clock.now() - timedelta(hours=2))
    refused = client.post(
        f"/emergency/drills/{drill.pk}/",
        {
            "form": "held",
            "held_at": f"{held_at:%Y-%m-%dT%H:%M}",
            "summary": "顺利",
            "attended": [demo["lina"].pk],
            "start_1": "10:05",
            "finish_1": "10:00",
        },
    )
    assert refused.status_code == 302 and Drill.objects.get().status == DrillStatus.SCHEDULED
    assert "结束时间不能早于开始时间" in client.get(f"/emergency/drills/{drill.pk}/").content.decode()
    client.post(
        f"/emergency/drills/{drill.pk}/",
        {
            "form": "held",
            "held_at": f"{held_at:%Y-%m-%dT%H:%M}",
            "summary": "顺利",
            "attended": [demo["lina"].pk],
            "absent": [demo["zhaomin"].pk],
            "start_1": "08:00",
            "finish_1": "08:06",
            "result_1": "ok",
        },
    )
    drill.refresh_from_db()
    assert drill.status == DrillStatus.HELD and drill.steps.get(position=1).duration_minutes == 6
    assert "待评估" in client.get("/emergency/drills/").content.decode()
    client.post(
        f"/emergency/drills/{drill.pk}/",
        {"form": "evaluate", "score": "88", "grade": "good", "evaluation": "良好"},
    )
    client.post(
        f"/emergency/drills/{drill.pk}/",
        {"form": "action", "text": "更新疏散图", "owner": demo["lina"].pk, "due_on": str(clock.today())},
    )
    action = DrillAction.objects.get()
    client.post(f"/emergency/drills/{drill.pk}/", {"form": "close", "action": action.pk, "note": "已更新"})
    assert DrillAction.objects.get().closed_at is not None
    assert Drill.objects.get().status == DrillStatus.EVALUATED
    summary = client.get("/emergency/drills/summary/")
    assert summary.status_code == 200 and "年度应急预案执行情况总结" in summary.content.decode()
    pdf = client.get("/emergency/drills/summary/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(f"/emergency/drills/summary/xlsx/?unit={plan.unit_id}&year={clock.today().year}")
    assert xlsx.status_code == 200 and load_workbook(io.BytesIO(xlsx.content)).active["A1"].value
    other = Client()
    other.force_login(demo["zhaomin"].user)  # an agent: no emergency.view
    assert other.get("/emergency/drills/").status_code == 403
    assert other.get(f"/emergency/drills/{drill.pk}/").status_code == 404
    outsider = Client()
    outsider.force_login(demo["gaofeng"].user)
    assert outsider.get(f"/emergency/drills/{drill.pk}/").status_code == 404
    assert outsider.get(f"/emergency/drills/summary/?unit={plan.unit_id}").status_code == 404
