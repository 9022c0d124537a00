"""Demo 报备 data (`kefu demo load`): claims in every state, a dispute awaiting 行政部, a signed deal,
a process report and a penalty proposal awaiting HR. Created through the actions as the people
concerned, so audit events, timers and decision records are real. The "about to expire" claim is
registered with the clock set six days back (`clock.frozen_at`), which is the only way to show a
countdown near its end on a fresh installation; the expired claim is registered nine days back the
same way and ended as lapsed, so it shows a past 保护至.
"""

from datetime import timedelta

from kefu.claims import actions
from kefu.claims.models import SalesPlan
from kefu.core import clock
from kefu.org.access import actor_for
from kefu.org.models import Employee


def _customer(name: str, phone: str, street: str) -> dict:
    return {"name": name, "phone": phone, "address": f"杭州市西湖区{street}"}


def load_claims(actor) -> dict:
    people = {
        e.user.username: e
        for e in Employee.objects.select_related("user").filter(
            user__username__in=["huanglei", "heping", "majun"]
        )
    }
    if len(people) < 3:
        return {"claims": 0}
    huanglei, heping, majun = (
        actor_for(people[u].user, origin="cli demo") for u in ("huanglei", "heping", "majun")
    )
    live = actions.register(huanglei, customer=_customer("沈先生", "13700010001", "云栖路 18 号"))
    actions.register(huanglei, customer=_customer("韩女士", "13700010002", "之江路 66 号"), kind="deposit")
    with clock.frozen_at(clock.now() - timedelta(days=6)):
        actions.register(huanglei, customer=_customer("曹先生", "13700010003", "转塘街道 3 号"))
    with clock.frozen_at(clock.now() - timedelta(days=9)):
        lapsed = actions.register(heping, customer=_customer("彭女士", "13700010004", "龙井路 5 号"))
    actions.end_if_lapsed(lapsed)  # its 7 days have run out: it ends as a check or the worker would end it
    ended = actions.register(heping, customer=_customer("陶先生", "13700010009", "玉古路 21 号"))
    actions.end_now(majun, ended, reason="客户明确表示暂不购买 / customer declined", release=False)
    signed = actions.register(huanglei, customer=_customer("蒋先生", "13700010005", "梅灵北路 9 号"))
    actions.record_deal(
        huanglei,
        signed,
        amount="1860000",
        agreed_by=people["heping"],
        shares=[(people["huanglei"], "70"), (people["heping"], "30")],
        note="云栖 3 幢 1202",
    )
    disputed = actions.register(huanglei, customer=_customer("魏女士", "13700010006", "灵隐路 2 号"))
    actions.raise_dispute(
        heping,
        disputed,
        claimant=None,
        reason="该客户上周已到案场由我接待",
        evidence="案场来访登记表 第 12 行",
    )
    false = actions.register(heping, customer=_customer("杜先生", "13700010007", "北山街 1 号"))
    dispute = actions.raise_dispute(
        huanglei, false, claimant=None, reason="客户从未到访", evidence="客户电话确认"
    )
    actions.rule_dispute(majun, dispute, outcome="false_registration", ruling="经核实客户从未到访，虚假报备")
    report = actions.submit_report(huanglei, customer_name="孔女士", contact="13700010008", needs="两居室")
    actions.review_report(heping, report, genuine=True, note="电话核实属实")
    return {"claims": 8, "live": live.pk}


def load_sales_plans(actor) -> int:
    """CLM-11 销售方案: 黄磊's report on 钱先生, assigned by 何平 to 林晓, whose sales plan waits for 何平's
    approval (his /approvals/ page). Returns how many plans were created (0 when already there)."""
    people = {
        e.user.username: actor_for(e.user, origin="cli demo")
        for e in Employee.objects.select_related("user").filter(
            user__username__in=["huanglei", "heping", "linxiao"]
        )
    }
    if len(people) < 3 or SalesPlan.objects.exists():
        return 0
    report = actions.submit_report(
        people["huanglei"], customer_name="钱先生", contact="13700010009", needs="改善型三居室，关注学区"
    )
    report = actions.review_report(people["heping"], report, genuine=True, note="到访登记属实")
    report = actions.assign_report(people["heping"], report, Employee.objects.get(user__username="linxiao"))
    actions.report_feedback(people["linxiao"], report, "已电话联系，客户预算 400 万，希望分期")
    actions.submit_plan(
        people["linxiao"], report, "推荐 7 号楼三居室；首付三成，余款分期 24 个月；赠送两年物业费"
    )
    return 1
