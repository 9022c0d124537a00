"""Demo appraisal (APR-1, DIS-1): 王芳 ran the monthly appraisal of 热线一组 for the last three months.
赵敏 came first each time (a reward proposal each; HR confirmed the older two, last month's waits);
孙丽 stayed below the threshold: her coaching plan (coach 李娜) opened three months ago is still open,
and after the second later round still below, a penalty proposal waits for HR. Loads at any hour:
only finished months are appraised."""

from datetime import datetime, time, timedelta

from kefu.core import clock
from kefu.discipline import actions as discipline
from kefu.discipline.models import PenaltyProposal, ProposalStatus
from kefu.org.access import actor_for
from kefu.org.models import Employee, Unit
from kefu.quality import seed
from kefu.quality.actions import appraisals as actions
from kefu.quality.models import AppraisalItem, AppraisalScheme, CoachingPlan, CoachingState, ItemKind

# manual points per round, oldest first (the KPI and inspection items come from the KPIs)
POINTS = {"zhaomin": (95, 96, 95), "sunli": (62, 64, 66), "qiancheng": (80, 78, 82)}


def _as(employee):
    return actor_for(employee.user, origin="cli demo")


def _month_before(day):
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def load_appraisals(actor) -> dict:
    # the default schemes come with the migrations; a test that emptied the tables since needs them again
    seed.apply_appraisal(AppraisalScheme, AppraisalItem, clock.now())
    people = {e.user.username: e for e in Employee.objects.select_related("user", "unit")}
    wangfang, lina, majun = people["wangfang"], people["lina"], people.get("majun")
    hotline = Unit.objects.get(code="realty-cs-hotline")
    last = _month_before(clock.today())
    months = [_month_before(_month_before(last)), _month_before(last), last]
    made = []
    for n, month in enumerate(months):
        at = datetime.combine(month + timedelta(days=40), time(10), tzinfo=clock.zone()).replace(day=3)
        with clock.frozen_at(min(at, clock.now())):
            round_ = actions.open_round(_as(wangfang), unit=hotline, period_kind="month", day=month)
            entries = []
            for result in round_.results.select_related("employee__user"):
                points = POINTS.get(result.employee.user.username, (85, 85, 85))[n]
                for row in result.scores.filter(item__kind=ItemKind.MANUAL):
                    entries.append({"result_id": result.pk, "item_id": row.item_id, "points": points})
            actions.score_many(_as(wangfang), round_, entries)
            actions.publish(_as(wangfang), round_)
            made.append(round_.pk)
            plan = CoachingPlan.objects.filter(employee=people["sunli"], state=CoachingState.OPEN).first()
            if plan is not None:
                actions.note(
                    _as(lina), plan, text=f"第 {n + 1} 次辅导：复盘两通录音，练习十字服务用语与三声服务"
                )
    if majun is not None:  # HR confirmed the older rewards; last month's and the penalty wait
        older = PenaltyProposal.objects.filter(
            offence="appraisal_outstanding", status=ProposalStatus.PROPOSED
        ).order_by("pk")
        for proposal in list(older)[:-1]:
            discipline.decide(_as(majun), proposal, confirm=True, reason="评为月度优秀员工，予以表彰")
    return {"rounds": made}
