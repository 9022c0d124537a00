"""Demo revisits (FUP-1): 华辰水务 revisits its resolved consultations and every complaint, so 郑凯's
queue (回访组) is alive — one revisit due, one overdue, one waiting for its retry after the customer
could not be reached — and a revisit campaign of its key customers planned for the coming weeks (its
《回访总结报告》 fills once launched). Everything goes through the actions as the people concerned."""

from datetime import timedelta

from kefu.cases import actions as case_actions
from kefu.core import clock
from kefu.engine.workflow.actions import deadlines
from kefu.followups.actions import attempts, campaigns, plans, surveys
from kefu.followups.models import Outcome, RevisitPlan, RevisitTask, SurveyAnswer
from kefu.org.access import actor_for
from kefu.org.models import Employee

PEOPLE = ("gaofeng", "lvxin", "zhengkai")


def _as(employee):
    return actor_for(employee.user, origin="cli demo")


def _resolved(lvxin, title: str, contact: dict, days_ago: float) -> RevisitTask:
    """A water consultation received, handled and answered `days_ago`: its revisit opens then."""
    with clock.frozen_at(clock.now() - timedelta(days=days_ago)):
        me = _as(lvxin)
        case, _ = case_actions.create_case(
            me, unit=lvxin.unit, kind="consultation", channel="phone", title=title, contact=contact
        )
        case = case_actions.act(me, case, "accept")
        case = case_actions.act(me, case, "propose", data={"solution": "已派员检查并处理"})
        case = case_actions.act(me, case, "inform", data={"customer_reply": "问题已处理，请您留意用水情况"})
    return RevisitTask.objects.get(case=case)


def load_revisits(actor) -> dict:
    people = {
        e.user.username: e
        for e in Employee.objects.select_related("user", "unit").filter(user__username__in=PEOPLE)
    }
    if len(people) < len(PEOPLE) or RevisitPlan.objects.exists():
        return {"revisits": 0}
    gaofeng, lvxin, zhengkai = (people[u] for u in PEOPLE)
    plans.set_plan(_as(gaofeng), gaofeng.unit, "resolution", kinds=["consultation"])
    plans.set_plan(_as(gaofeng), gaofeng.unit, "complaint")
    overdue = _resolved(lvxin, "咨询：水费账单比上月高出一倍", {"name": "魏女士", "phone": "13512340021"}, 14)
    retry = _resolved(lvxin, "咨询：小区停水通知何时发布", {"name": "蒋先生", "phone": "13512340022"}, 2)
    with clock.frozen_at(clock.now() - timedelta(days=1)):
        attempts.record(_as(zhengkai), retry, outcome=Outcome.UNREACHABLE)  # no answer: tried again later
    due = _resolved(lvxin, "咨询：如何办理水表过户", {"name": "沈女士", "phone": "13512340023"}, 0)
    deadlines.sweep()  # the present: the overdue revisit tells 郑凯, as the worker would
    today = clock.today()
    campaign = campaigns.create_campaign(
        _as(gaofeng),
        gaofeng.unit,
        name="重点客户年末回访",
        starts_on=today,
        ends_on=today + timedelta(days=45),
        rule={"tiers": ["strategic", "key"]},
    )
    return {"revisits": 3, "tasks": [overdue.pk, retry.pk, due.pk], "campaign": campaign.pk}


# CSAT-1: a month of answered surveys, 36 satisfied of 40 (90 %, the KPI-1 target), four 不满意 with words
COMPLAINTS = {
    5: "服务态度还可以，但水压问题过了两天又出现了",
    14: "维修师傅迟到了一个多小时，也没有提前打电话",
    23: "账单的解释不清楚，希望有人再详细说明一下",
    31: "问题没有真正解决，希望主管跟进",
}
TOPICS = ("水压不足", "水费账单咨询", "水表读数异常", "停水通知", "管道漏水报修", "水质发黄")
ALL_GOOD = {"service": "satisfied", "solution": "satisfied"}


def load_surveys(actor) -> dict:
    """Forty of 吕欣's consultations over the last month, revisited by 郑凯 and answered by the
    customers — at the revisit, on the status page or in a phone survey; four not satisfied, whose
    cases went back to 高峰 (吕欣's supervisor)."""
    people = {
        e.user.username: e
        for e in Employee.objects.select_related("user", "unit").filter(user__username__in=PEOPLE)
    }
    if len(people) < len(PEOPLE) or not RevisitPlan.objects.exists() or SurveyAnswer.objects.exists():
        return {"answers": 0}
    lvxin, zhengkai = people["lvxin"], people["zhengkai"]
    for i in range(40):
        days = 29 - i * 0.7
        contact = {"name": f"客户{i + 1:02d}", "phone": f"1390571{i:04d}"}
        task = _resolved(lvxin, f"咨询：{TOPICS[i % len(TOPICS)]}", contact, days + 0.2)
        with clock.frozen_at(clock.now() - timedelta(days=days)):
            words = COMPLAINTS.get(i)
            if words:  # satisfied at the revisit, then not on the status page: back to the supervisor
                attempts.record(_as(zhengkai), task, outcome=Outcome.SATISFIED)
                surveys.answer_on_status_page(
                    task.case,
                    ratings={"service": "neutral", "solution": "unsatisfied"},
                    words=words,
                    ip="192.0.2.10",
                )
            elif i % 5 == 1:  # the revisit, then the questionnaire on the phone (one item 一般)
                attempts.record(_as(zhengkai), task, outcome=Outcome.SATISFIED)
                surveys.by_phone(
                    _as(zhengkai), task, ratings={"service": "satisfied", "solution": "neutral"}, words=""
                )
            elif i % 5 == 2:  # satisfied at the revisit, and said so again on the status page
                attempts.record(_as(zhengkai), task, outcome=Outcome.SATISFIED)
                surveys.answer_on_status_page(task.case, ratings=ALL_GOOD, words="", ip="192.0.2.11")
            else:
                attempts.record(_as(zhengkai), task, outcome=Outcome.SATISFIED, words="满意")
    return {"answers": SurveyAnswer.objects.filter(current=True).count()}
