"""Demo emergency organisation (EMG-1…EMG-3, EMG-6, RES-1, WX-1, FEE-1): a year and two months ago 王芳
(华辰置业) and 高峰 (华辰水务) drew up a plan of every shipped type from the templates; the administrator
formed the group's 应急领导小组 (组长 张伟, 副组长 刘洋) and each manager the subsidiary's bodies, bound to
demo people. The staff acknowledged the plans except 赵敏 and 吕欣 on a few (the reminders show them). The
resources register has an extinguisher past its expiry at the 案场; this morning's weather bulletin of 华辰置业
is published; one plan-drafting quote exists. Incidents and drills have their own loaders. All through the
actions, as the people concerned, with the clock set back where the story happened."""

from datetime import datetime, time, timedelta

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.emergency.actions import bodies as body_actions
from kefu.emergency.actions import fees as fee_actions
from kefu.emergency.actions import plans as plan_actions
from kefu.emergency.actions import resources as resource_actions
from kefu.emergency.actions import weather as weather_actions
from kefu.emergency.models import Body, Distribution, Plan, PlanType, Slot
from kefu.engine.notifications.models import Notification
from kefu.org.access import actor_for
from kefu.org.models import Employee, Unit

# (unit code, body kind, {slot code: (holder, deputy)})
BODIES = [
    ("hc-group", "leadership", {"leader": ("zhangwei", "liuyang"), "deputy_leader": ("liuyang", None)}),
    ("hc-realty", "command", {"director": ("wangfang", "lina")}),
    (
        "hc-realty",
        "handling",
        {"cs": ("wujing", "sunli"), "tech": ("hemei", "songyu"), "marketing": ("linxiao", "huanglei")},
    ),
    ("hc-realty", "liaison", {"liaison": ("sunli", "zhaomin")}),
    ("hc-realty", "specialist", {"specialist": ("lina", "wujing")}),
    (
        "realty-sales-showroom",
        "site_leadership",
        {"leader": ("wangfang", "lina"), "member": ("heping", None)},
    ),
    ("realty-sales-showroom", "site_team", {"leader": ("heping", None), "member": ("huanglei", None)}),
    ("hc-water", "command", {"director": ("gaofeng", "lvxin")}),
    ("hc-water", "handling", {"cs": ("lvxin", "zhengkai"), "tech": ("xuhao", None)}),
    ("hc-water", "liaison", {"liaison": ("zhengkai", "lvxin")}),
    ("hc-water", "specialist", {"specialist": ("lvxin", "gaofeng")}),
]

# who has not yet confirmed reading which plans (the reminders and the acknowledgement list show them)
UNREAD = {"zhaomin": ["crime", "lost_property"], "lvxin": ["outage"]}

# (unit code, kind, name, location, quantity, custodian, inspect every days, days to next inspection,
#  days to expiry or None)
RESOURCES = [
    ("hc-realty", "extinguisher", "干粉灭火器（4 公斤）", "华辰·云栖案场 前台东侧", 6, "heping", 30, 12, -9),
    ("hc-realty", "extinguisher", "二氧化碳灭火器", "客户服务部 机房门口", 2, "hemei", 30, 20, 400),
    ("hc-realty", "first_aid", "急救药箱", "华辰·云栖案场 接待台", 1, "heping", 30, 5, 180),
    ("hc-realty", "lighting", "应急照明灯", "客户服务部 热线区", 4, "lina", 90, 40, None),
    ("hc-realty", "phone", "应急值班手机", "客户服务部 值班台", 2, "lina", 30, 3, None),
    ("hc-water", "stock", "抢修管材及卡箍", "城东营业厅 仓库", 40, "xuhao", 30, 8, None),
    ("hc-water", "spare", "备用热线话机", "客户服务中心 机房", 3, "xuhao", 90, 60, None),
    ("hc-water", "first_aid", "急救药箱", "水务城东营业厅 大厅", 1, "lvxin", 30, -2, 250),
]

FORECAST = [  # (days from today, weather, low, high, wind, warning)
    (0, "多云", 6, 14, "东北风 3 级", ""),
    (1, "中到大雨", 5, 10, "东北风 4–5 级", "暴雨蓝色预警"),
    (2, "阴转多云", 4, 11, "北风 3 级", ""),
]


def _as(employee: Employee) -> Actor:
    return actor_for(employee.user, origin="cli demo")


def _at(day, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=clock.zone())


def _bodies(admin: Actor, people: dict, units: dict) -> int:
    made = 0
    for unit_code, kind, bindings in BODIES:
        unit = units[unit_code]
        manager = (
            admin
            if unit_code == "hc-group"
            else _as(people["gaofeng" if "water" in unit_code else "wangfang"])
        )
        if Body.objects.filter(unit=unit, kind=kind).exists():
            continue
        body = body_actions.create_body(manager, unit=unit, kind=kind)
        for slot in Slot.objects.filter(body=body).order_by("position"):
            holder, deputy = bindings.get(slot.key.split(".", 1)[1], (None, None))
            if holder:
                body_actions.bind_slot(
                    manager, slot, holder=people[holder], deputy=people[deputy] if deputy else None
                )
        made += 1
    return made


def _read_when_acknowledged(unit: Unit) -> None:
    """The distribution messages of the plans each person acknowledged are read (personal inbox state,
    not a business write: one update instead of a mark_read per message)."""
    done = {
        (user_id, str(version_id))
        for user_id, version_id in Distribution.objects.filter(
            version__plan__unit=unit, acknowledged_at__isnull=False
        ).values_list("employee__user_id", "version_id")
    }
    unread = Notification.objects.filter(template="emergency.plan_distributed", read_at__isnull=True)
    ids = [
        pk
        for pk, user_id, target in unread.values_list("pk", "recipient_id", "target_id")
        if (user_id, target) in done
    ]
    Notification.objects.filter(pk__in=ids).update(read_at=clock.now())


def _plans(people: dict, units: dict) -> int:
    made = 0
    drawn_up = clock.today() - timedelta(days=430)
    for unit_code, author in (("hc-realty", "wangfang"), ("hc-water", "gaofeng")):
        unit = units[unit_code]
        with clock.frozen_at(_at(drawn_up, 9)):
            for plan_type in PlanType.values:
                if not Plan.objects.filter(unit=unit, plan_type=plan_type).exists():
                    plan_actions.create_from_template(
                        _as(people[author]), unit=unit, plan_type=plan_type, effective_on=drawn_up
                    )
                    made += 1
        with clock.frozen_at(_at(drawn_up + timedelta(days=3), 16)):
            rows = Distribution.objects.filter(
                version__plan__unit=unit, acknowledged_at__isnull=True
            ).select_related("version__plan", "employee__user")
            for row in rows.order_by("pk"):
                unread = UNREAD.get(row.employee.user.username if row.employee.user else "", [])
                if row.employee.user is None or row.version.plan.plan_type in unread:
                    continue
                plan_actions.acknowledge(_as(row.employee), row.version)
            _read_when_acknowledged(unit)
    return made


def _resources(people: dict, units: dict) -> int:
    today = clock.today()
    registered_on = today - timedelta(days=200)
    with clock.frozen_at(_at(registered_on)):
        for unit_code, kind, name, place, quantity, keeper, every, next_days, expiry_days in RESOURCES:
            manager = people["gaofeng" if unit_code == "hc-water" else "wangfang"]
            resource_actions.register_item(
                _as(manager),
                unit=units[unit_code],
                kind=kind,
                name=name,
                location=place,
                quantity=quantity,
                custodian=people[keeper],
                inspect_every_days=every,
                next_inspection=today + timedelta(days=next_days),
                expires_on=today + timedelta(days=expiry_days) if expiry_days is not None else None,
            )
    return len(RESOURCES)


def _weather(people: dict, units: dict) -> None:
    today = clock.today()
    realty = units["hc-realty"]
    with clock.frozen_at(_at(today, 8)):
        bulletin, _ = weather_actions.open_bulletin(realty, today)
        for days, weather, low, high, wind, warning in FORECAST:
            weather_actions.save_forecast(
                _as(people["wangfang"]),
                realty,
                day=today + timedelta(days=days),
                locality="杭州市西湖区",
                weather=weather,
                temp_low=low,
                temp_high=high,
                wind=wind,
                warning=warning,
            )
        weather_actions.publish(
            _as(people["wangfang"]), bulletin, note="明日有大雨，案场注意防滑，外出看房客户提醒带伞。"
        )


def _quote(people: dict, units: dict) -> None:
    with clock.frozen_at(_at(clock.today() - timedelta(days=20), 15)):
        fee_actions.create_quote(
            _as(people["wangfang"]),
            unit=units["hc-realty"],
            client="杭州云栖物业服务有限公司",
            headcount=260,
            plans=2,
            progress_percent=20,
            site_survey=1,
            risk_assessment=1,
            drill=1,
            expert_hours=4,
            review=1,
        )


def load_emergency(actor: Actor) -> dict:
    """The emergency organisation of the demo (needs the demo people; does nothing without them)."""
    usernames = {u for _unit, _kind, b in BODIES for pair in b.values() for u in pair if u}
    people = {
        e.user.username: e
        for e in Employee.objects.filter(user__username__in=usernames).select_related("user", "unit")
    }
    if len(people) < len(usernames):
        return {"emergency_plans": 0}
    units = {u.code: u for u in Unit.objects.filter(code__in={b[0] for b in BODIES})}
    bodies = _bodies(actor, people, units)
    plans = _plans(people, units)
    resources = _resources(people, units)
    _weather(people, units)
    _quote(people, units)
    return {"emergency_plans": plans, "emergency_bodies": bodies, "resources": resources}
