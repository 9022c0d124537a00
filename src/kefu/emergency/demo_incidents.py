"""Demo incidents (EMG-4, EMG-5): at 华辰水务 a burst water main — the hotline's 报修 of the last 40 minutes
tripped the complaint-surge detector, whose draft incident 高峰 triaged and activated within the clock;
several checklist items done, the hotline's voice prompt changed and a notice to customers published; at 华辰置业 last month a system failure that was
activated in time, recovered, lifted and reviewed. Through the actions as the people concerned, with the
clock set back where the story happened. Uses the plans and bodies the emergency demo made; a missing
one is made here (a plan from its template, the command centre's 主任 bound to the 客服经理)."""

from datetime import datetime, time, timedelta

from kefu.cases.actions import intake as case_actions
from kefu.cases.queries import intake as case_queries
from kefu.core import clock
from kefu.emergency.actions import bodies as body_actions
from kefu.emergency.actions import incidents as actions
from kefu.emergency.actions import plans as plan_actions
from kefu.emergency.actions import surges as surge_actions
from kefu.emergency.models import Body, Incident, Plan, Resource
from kefu.emergency.queries import incidents as queries
from kefu.emergency.queries import plans as plan_queries
from kefu.emergency.queries.bodies import holder_now, slot_for
from kefu.engine.policy import api as policy
from kefu.org.access import actor_for
from kefu.org.models import Employee, Unit


def _as(employee):
    return actor_for(employee.user, origin="cli demo")


def _plan(manager: Employee, unit: Unit, plan_type: str) -> Plan:
    plan, _version = queries.plan_in_force(unit, plan_type)
    return plan or plan_actions.create_from_template(_as(manager), unit=unit, plan_type=plan_type)


def _command(manager: Employee, unit: Unit) -> None:
    """The command centre's 主任: the demo's binding, else the 客服经理."""
    slot = slot_for(unit, "command.director")
    if slot is not None and slot.holder_id:
        return
    if slot is None:
        body = Body.objects.filter(unit=unit, kind="command").first() or body_actions.create_body(
            _as(manager), unit=unit, kind="command"
        )
        slot = body.slots.get(key="command.director")
    body_actions.bind_slot(_as(manager), slot, holder=manager, deputy=None)


def _holder(plan: Plan, power: str, fallback: Employee) -> Employee:
    """Who uses `power` under the plan now (the first slot it names that someone fills)."""
    version = plan.versions.only("powers").order_by("-number").first()
    for key in (version.powers or {}).get(power, []):
        slot = slot_for(plan.unit, key)
        acting = holder_now(slot).employee if slot is not None else None
        if acting is not None and plan_queries.may(acting, plan, power):
            return acting
    return fallback


def _at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=clock.zone())


def load_incidents() -> dict:
    people = {
        e.user.username: e
        for e in Employee.objects.filter(
            user__username__in=["gaofeng", "lvxin", "wangfang", "zhangwei", "lina", "zhouqiang"]
        ).select_related("user", "unit")
    }
    water = Unit.objects.filter(code="hc-water").first()
    realty = Unit.objects.filter(code="hc-realty").first()
    if len(people) < 6 or water is None or realty is None or Incident.objects.exists():
        return {"incidents": 0}
    made = [_burst_main(people, water), _system_failure_last_month(people, realty)]
    return {"incidents": len(made)}


STREETS = ["解放路", "建国南路", "清泰街", "望江路", "秋涛路", "江城路"]


def _repairs(desk: Employee, count: int) -> None:
    """The 报修 of the burst: `count` calls over the last 40 minutes, taken by the hotline."""
    start = clock.now() - timedelta(minutes=40)
    declared = {f["name"] for f in case_queries.kind_for(desk.unit, "repair").fields or []}
    for n in range(count):
        street = STREETS[n % len(STREETS)]
        extra = {"address": f"上城区{street} {n + 3} 号", "fault": "停水"}
        with clock.frozen_at(start + timedelta(minutes=40 * n / count)):
            case_actions.create_case(
                _as(desk),
                unit=desk.unit,
                kind="repair",
                channel="phone",
                title=f"报修：家中停水（{street}）",
                description=f"上城区{street} {n + 3} 号家中停水。",
                extra={k: v for k, v in extra.items() if k in declared},  # the subsidiary's own fields
                contact={"name": f"{'赵钱孙李周吴郑王冯陈'[n % 10]}先生", "phone": f"1350571{n:04d}"},
            )
            surge_actions.detect(clock.now())  # the worker's sweep runs every second


def _burst_main(people: dict, water: Unit) -> Incident:
    """The burst: the hotline's 报修 trip the surge detector (EMG-5), whose draft incident 高峰 triages
    and activates within the clock (EMG-4)."""
    gaofeng = people["gaofeng"]
    plan = _plan(gaofeng, water, "outage")
    _command(gaofeng, water)
    threshold = int(policy.lookup("emergency.surge_threshold", at=clock.now(), unit=water).value)
    _repairs(people["lvxin"], threshold + 4)
    incident = Incident.objects.get(unit=water, source="surge")
    # the command centre's 主任 starts the response himself (he holds the power under this plan)
    commander = _as(
        gaofeng if plan_queries.may(gaofeng, plan, "activate") else _holder(plan, "activate", gaofeng)
    )
    actions.acknowledge(_as(gaofeng), incident)
    incident = actions.triage(commander, incident, plan_type="outage")
    incident = actions.activate(commander, incident)
    for task in queries.tasks(incident)[:3]:
        actions.task_done(_as(gaofeng), task, note="已按预案执行")
    actions.record_change(
        _as(gaofeng),
        incident,
        kind="channel",
        text="热线语音提示：城东片区因主供水管爆裂临时停水，抢修中，预计 18:00 前恢复供水，报修无需重复拨打。",
        ends_at=clock.now() + timedelta(hours=6),
    )
    actions.record_change(
        _as(gaofeng), incident, kind="staffing", text="热线增派 4 个坐席，回访组暂停外呼支援接听。"
    )
    stock = Resource.objects.filter(unit__path__startswith=water.path).order_by("pk").first()
    if stock is not None and stock.quantity:
        actions.use_resource(_as(gaofeng), incident, stock, 1, "抢修现场使用")
    publisher = _holder(plan, "publish", gaofeng)
    if plan_queries.may(publisher, plan, "publish"):
        actions.publish(
            _as(publisher),
            incident,
            audience="customers",
            text="尊敬的用户：城东片区主供水管突发爆裂，目前正在全力抢修，预计今日 18:00 前恢复供水。临时供水点设在解放路营业厅门前。给您带来不便，敬请谅解。",
        )
    return actions.acknowledge(_as(gaofeng), incident)


def _system_failure_last_month(people: dict, realty: Unit) -> Incident:
    wangfang = people["wangfang"]
    plan = _plan(wangfang, realty, "system_failure")
    _command(wangfang, realty)
    day = clock.today().replace(day=1) - timedelta(days=18)  # mid last month
    with clock.frozen_at(_at(day, 9, 25)):
        incident = actions.report(
            _as(wangfang),
            unit=realty,
            plan_type="system_failure",
            title="客服系统呼叫中心线路中断",
            occurred_at=_at(day, 9, 10),
            detected_at=_at(day, 9, 15),
            place="客户服务部呼叫中心",
            scope="热线 400 线路全部中断约 50 分钟",
            description="运营商光缆故障导致呼叫中心线路中断。",
        )
        commander = _as(_holder(plan, "activate", wangfang))
        actions.acknowledge(_as(wangfang), incident)
        incident = actions.activate(commander, incident)
    with clock.frozen_at(_at(day, 9, 40)):
        for task in queries.tasks(incident):
            actions.task_done(_as(wangfang), task)
        actions.record_change(
            _as(wangfang),
            incident,
            kind="channel",
            text="热线语音提示：系统维护中，请稍后来电或通过微信公众号留言。",
        )
    with clock.frozen_at(_at(day, 10, 5)):
        incident = actions.recover(
            _as(wangfang),
            incident,
            report="运营商修复光缆，线路 10:00 恢复；未接来电已全部回拨。",
            impact="约 120 通来电未接通，均已回拨，无投诉升级。",
        )
        lifter = _as(_holder(plan, "lift", wangfang))
        incident = actions.lift(lifter, incident)
        actions.acknowledge(_as(wangfang), incident)
    with clock.frozen_at(_at(day + timedelta(days=2), 15)):
        incident = actions.review(
            _as(wangfang),
            incident,
            cause="单一运营商线路，无备用线路。",
            prevention="增加第二运营商备用线路，故障时自动切换。",
            lessons="线路中断时应第一时间启用语音提示和微信留言分流，回拨清单由班长统一分派。",
        )
    return incident
