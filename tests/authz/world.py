"""The records the matrix aims at, described as plain data and built once per test module.

Each `Target` says where a record lives (unit code) and whose it is (username), which is all the
role table needs to predict an outcome. `CANDIDATES[family]` lists the targets of one kind of
record in both subsidiaries; `build()` creates them on top of the demo organisation through the
product's actions, as the people concerned, and remembers their ids under `Target.key`.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from kefu.core import clock
from tests.authz.roles import PEOPLE_BY_NAME, chain, subsidiary_of

REALTY, WATER = "hc-realty", "hc-water"

# Helpers who are not demo users (never a row of the matrix): a salesperson of 华辰水务, so that
# 报备 records exist on that side too. (username, name, number, unit, post, role, supervisor)
HELPERS = [("wsales", "水务销售", "WA9001", "water-cs-hotline", "sales", "sales", "gaofeng")]
HELPER_UNIT = {h[0]: h[3] for h in HELPERS}


@dataclass(frozen=True)
class Target:
    key: str
    unit: str  # where the record lives (its scope unit)
    owner: str | None = None  # whose record it is (username)
    extra: tuple = field(default=())

    def get(self, name, default=None):
        return dict(self.extra).get(name, default)

    @property
    def subsidiary(self) -> str | None:
        return subsidiary_of(self.unit)


def T(key, unit, owner=None, **extra) -> Target:
    return Target(key, unit, owner, tuple(sorted(extra.items())))


def _units(prefix, codes):
    return [T(f"{prefix}:{c}", c) for c in codes]


REALTY_UNITS = [
    "realty-cs-hotline",
    "realty-cs-complaints",
    "realty-cs",
    "realty-sales-showroom",
    "realty-sales",
    "realty-admin",
    "realty-finance",
    "hc-realty",
]
WATER_UNITS = ["water-cs-hotline", "water-cs", "hc-water"]
DEPARTMENTS = ["realty-cs", "realty-sales", "realty-admin", "realty-finance", "water-cs", "water-tech"]

CANDIDATES: dict[str, list[Target]] = {
    # WFM-1: each hotline's shift template, its published one-day rota, a called-in shift of one of its
    # agents and that agent's pending request to hand the shift to a colleague
    "shift_template": [
        T("shift_template:realty-cs-hotline", "realty-cs-hotline"),
        T("shift_template:water-cs-hotline", "water-cs-hotline"),
    ],
    "rota": [
        T("rota:realty-cs-hotline", "realty-cs-hotline"),
        T("rota:water-cs-hotline", "water-cs-hotline"),
    ],
    "rota_shift": [
        T("rota_shift:zhaomin", "realty-cs-hotline", "zhaomin"),
        T("rota_shift:lvxin", "water-cs-hotline", "lvxin"),
    ],
    "shift_change": [
        T("shift_change:zhaomin", "realty-cs-hotline", "zhaomin", colleague="sunli"),
        T("shift_change:lvxin", "water-cs-hotline", "lvxin", colleague="wsales"),
    ],
    "unit": _units("unit", REALTY_UNITS + WATER_UNITS),
    # a new team goes under a department (ORG-1)
    "department": _units("unit", DEPARTMENTS),
    "subsidiary": _units("unit", [REALTY, WATER]),
    "site": [T("site:hc-realty", REALTY), T("site:hc-water", WATER)],
    "employee": [
        T(f"employee:{u}", p.unit, u) for u, p in PEOPLE_BY_NAME.items() if subsidiary_of(p.unit) is not None
    ],
    "customer": [
        T("customer:zhaomin", "realty-cs-hotline", "zhaomin"),
        T("customer:lina", "realty-cs-hotline", "lina"),
        T("customer:wangfang", "realty-cs", "wangfang"),
        T("customer:huanglei", "realty-sales-showroom", "huanglei"),
        T("customer:heping", "realty-sales-showroom", "heping"),
        T("customer:linxiao", "realty-sales", "linxiao"),
        T("customer:lvxin", "water-cs-hotline", "lvxin"),
        T("customer:gaofeng", "water-cs", "gaofeng"),
    ],
    # a customer with a change request by sales waiting for the info officer (CUS-4)
    "change_request": [
        T("change:huanglei", "realty-sales-showroom", "huanglei"),
        T("change:wsales", "water-cs-hotline", "wsales"),
    ],
    # routed complaints (state routed) with their owner
    "case": [
        T("case:zhaomin", "realty-cs-hotline", "zhaomin"),
        T("case:sunli", "realty-cs-hotline", "sunli"),
        T("case:wujing", "realty-cs-complaints", "wujing"),
        T("case:lvxin", "water-cs-hotline", "lvxin"),
        T("case:xuhao", "water-tech", "xuhao"),
    ],
    # HRD-1 逾期报备 cases with their owner (a window open all day, so a call may be logged at any time)
    "hardship_case": [
        T("hardship:zhaomin", "realty-cs-hotline", "zhaomin"),
        T("hardship:lvxin", "water-cs-hotline", "lvxin"),
    ],
    # received, no skill group takes the kind: waiting at the receiving unit for a supervisor
    "queued_case": [T("queued:realty", "realty-cs-hotline"), T("queued:water", "water-cs-hotline")],
    # cross-department 报备 (CASE-8): the receiving unit, its owner (who acknowledged), the case's side
    **{
        f"handoff_{state}": [
            T(
                f"handoff:{state}:realty",
                "realty-cs-complaints",
                None if state == "sent" else "wujing",
                case="case:zhaomin",
                case_unit="realty-cs-hotline",
                case_owner="zhaomin",
            ),
            T(
                f"handoff:{state}:water",
                "water-tech",
                None if state == "sent" else "xuhao",
                case="case:lvxin",
                case_unit="water-cs-hotline",
                case_owner="lvxin",
            ),
        ]
        for state in ("sent", "acknowledged", "clarifying", "solved")
    },
    "claim": [
        T("claim:huanglei", "realty-sales-showroom", "huanglei"),
        T("claim:heping", "realty-sales-showroom", "heping"),
        T("claim:wsales", "water-cs-hotline", "wsales"),
    ],
    # a 撞单 dispute over the owner's claim, raised by the claimant
    "dispute": [
        T("dispute:realty", "realty-sales-showroom", "heping", claimant="huanglei"),
        T("dispute:water", "water-cs-hotline", "wsales", claimant="admin"),
    ],
    **{
        f"report_{state}": [
            T(f"report:{state}:realty", "realty-sales-showroom", "huanglei", assignee="linxiao"),
            T(f"report:{state}:water", "water-cs-hotline", "wsales", assignee="lvxin"),
        ]
        for state in ("submitted", "verified", "assigned", "following")
    },
    "borrowing": [
        T("borrowing:realty", "realty-cs", "wangfang"),
        T("borrowing:water", "water-cs", "gaofeng"),
    ],
    # the delegator's own delegation to a colleague (ORG-5)
    "delegation": [
        T("delegation:zhaomin", "realty-cs-hotline", "zhaomin", delegate="sunli"),
        T("delegation:huanglei", "realty-sales-showroom", "huanglei", delegate="heping"),
        T("delegation:wangfang", "realty-cs", "wangfang", delegate="lina"),
        T("delegation:gaofeng", "water-cs", "gaofeng", delegate="lvxin"),
    ],
    "proposal": [
        T("proposal:huanglei", "realty-sales-showroom", "huanglei"),
        T("proposal:lvxin", "water-cs-hotline", "lvxin"),
    ],
    "article_draft": [
        T("article:draft:realty", REALTY, "wangfang"),
        T("article:draft:water", WATER, "gaofeng"),
    ],
    "article_published": [
        T("article:published:realty", REALTY, "wangfang"),
        T("article:published:water", WATER, "gaofeng"),
    ],
    "kind": [T("kind:realty", REALTY), T("kind:water", WATER)],
    # a resolved consultation's open revisit (FUP-1): 华辰水务's goes to its 回访专员 郑凯 by load;
    # 华辰置业 has no 回访专员, so its revisit waits unassigned at the case's unit
    "revisit": [T("revisit:realty", "realty-cs-hotline"), T("revisit:water", "water-cs-hotline", "zhengkai")],
    # QA-1: an inspection per subsidiary waiting for its inspector (owner = the agent inspected) and a
    # published one (the agent may appeal; a second inspector rules). 华辰水务 has no 质检员: its
    # inspections name 郑凯, who holds no quality.inspect, so no one there may score them
    "inspection_open": [
        T(
            "inspection:open:realty",
            "realty-cs-hotline",
            "zhaomin",
            inspector="zhouqiang",
            case="case:zhaomin",
        ),
        T("inspection:open:water", "water-tech", "xuhao", inspector="zhengkai", case="case:xuhao"),
    ],
    "inspection_published": [
        T(
            "inspection:published:realty",
            "realty-cs-hotline",
            "sunli",
            inspector="zhouqiang",
            case="case:sunli",
        ),
        T("inspection:published:water", "water-cs-hotline", "lvxin", inspector="zhengkai", case="case:lvxin"),
    ],
    # a temporary handover per subsidiary (HO-1), opened by the leaver (the owner) naming the receiver
    "handover": [
        T("handover:realty", "realty-cs-hotline", "zhaomin", receiver="sunli"),
        T("handover:water", "water-cs-hotline", "lvxin", receiver="zhengkai"),
    ],
    # RPT-1: today's daily report of an agent per subsidiary, last month's service report of each
    # 客服部 and one open rectification item on it
    "work_report": [
        T("work_report:zhaomin", "realty-cs-hotline", "zhaomin"),
        T("work_report:lvxin", "water-cs-hotline", "lvxin"),
    ],
    "service_report": [
        T("service_report:realty", "realty-cs", "wangfang"),
        T("service_report:water", "water-cs", "gaofeng"),
    ],
    "rectification": [
        T("rectification:realty", "realty-cs", "lina"),
        T("rectification:water", "water-cs", "lvxin"),
    ],
    # APR-1: last month's appraisal round of each hotline, opened and scored, not published; the open
    # coaching plan of one agent per hotline, from the round of the month before (published)
    "appraisal_round": [
        T("appraisal_round:realty", "realty-cs-hotline", manager="wangfang"),
        T("appraisal_round:water", "water-cs-hotline", manager="gaofeng"),
    ],
    "coaching_plan": [
        T("coaching_plan:realty", "realty-cs-hotline", "sunli", coach="lina"),
        T("coaching_plan:water", "water-cs-hotline", "lvxin", coach="gaofeng"),
    ],
    # a planned revisit campaign per subsidiary (FUP-1), launched by whoever configures revisits there
    "campaign": [T("campaign:realty", REALTY), T("campaign:water", WATER)],
    "group": [T("group:realty", "realty-cs-hotline"), T("group:water", "water-cs-hotline")],
    # customer care (CARE-1…3), the subsidiary's records: a planned greeting campaign, a greeting call to
    # make, gift lists (a draft with a gift, one awaiting its 客服经理, an approved one's gifts) and an event
    **{
        family: [T(f"{family}:{REALTY}", REALTY), T(f"{family}:{WATER}", WATER)]
        for family in (
            "care_campaign",
            "care_delivery",
            "care_gift_list",
            "care_gift_item",
            "care_gift_approved_item",
            "care_gift_issued_item",
            "care_event",
            "care_invitation",
        )
    },
    "leave_pending": [
        T(f"leave_pending:{REALTY}", "realty-cs-hotline", "zhaomin", approver="lina"),
        T(f"leave_pending:{WATER}", "water-cs-hotline", "lvxin", approver="gaofeng"),
    ],
    "care_gift_pending": [
        T(f"care_gift_pending:{REALTY}", REALTY, "lina", approver="wangfang"),
        T(f"care_gift_pending:{WATER}", WATER, "zhengkai", approver="gaofeng"),
    ],
}
# QC groups (QC-1), led by their leader (the owner): one not yet sent to 综合部, one waiting for it, one
# registered, and one whose inactivity was flagged; a course required of new agents per subsidiary with
# its exam and one enrolled person (TRN-1)
CANDIDATES.update(
    {
        family: [T(f"{family}:{REALTY}", "realty-cs", "lina"), T(f"{family}:{WATER}", "water-cs", "lvxin")]
        for family in ("qcgroup", "qcgroup_requested", "qcgroup_registered", "qcflag")
    }
)
CANDIDATES["course"] = [
    T(f"course:{REALTY}", REALTY, enrolled="zhaomin"),
    T(f"course:{WATER}", WATER, enrolled="lvxin"),
]
# Emergency plans and bodies (EMG-1, EMG-2), one per subsidiary at the subsidiary itself: a plan from a
# template (distributed to all its staff) and the command centre's 主任 slot
CANDIDATES["emergency_plan"] = [T(f"emergency_plan:{REALTY}", REALTY), T(f"emergency_plan:{WATER}", WATER)]
CANDIDATES["emergency_slot"] = [T(f"emergency_slot:{REALTY}", REALTY), T(f"emergency_slot:{WATER}", WATER)]
# DOC-1 (issue 18): per subsidiary a policy issued at the subsidiary (version 1 distributed to its staff), a
# plan with one item owned by the hotline's person, and a suggestion of the hotline's agent — one waiting
# for review and one accepted
CANDIDATES["policy"] = [T(f"policy:{REALTY}", REALTY), T(f"policy:{WATER}", WATER)]
CANDIDATES["workplan"] = [T(f"workplan:{REALTY}", REALTY, "lina"), T(f"workplan:{WATER}", WATER, "lvxin")]
CANDIDATES["suggestion"] = [
    T(f"suggestion:{REALTY}", "realty-cs-hotline", "zhaomin"),
    T(f"suggestion:{WATER}", "water-cs-hotline", "lvxin"),
]
CANDIDATES["suggestion_accepted"] = [
    T(f"suggestion_accepted:{REALTY}", "realty-cs-hotline", "zhaomin"),
    T(f"suggestion_accepted:{WATER}", "water-cs-hotline", "lvxin"),
]
# EMG-5: an unacknowledged complaint-surge alert per subsidiary
CANDIDATES["surge"] = [T(f"surge:{REALTY}", REALTY), T(f"surge:{WATER}", WATER)]
# RES-1: an emergency resource per subsidiary (kept by its hotline's people); WX-1: the day's weather
# bulletin per subsidiary with its three days of forecast (issue 17)
CANDIDATES["resource"] = [T(f"resource:{REALTY}", REALTY, "lina"), T(f"resource:{WATER}", WATER, "lvxin")]
CANDIDATES["bulletin"] = [T(f"bulletin:{REALTY}", REALTY), T(f"bulletin:{WATER}", WATER)]
# PRC-1: a priced catalogue item per subsidiary and a price change awaiting approval; ORD-1: an order of the
# hotline agent's customer per subsidiary in each open state and shipped (issue 18)
CANDIDATES["catalogue_item"] = [T(f"catalogue_item:{REALTY}", REALTY), T(f"catalogue_item:{WATER}", WATER)]
CANDIDATES["catalogue_proposal"] = [
    T(f"catalogue_proposal:{REALTY}", REALTY),
    T(f"catalogue_proposal:{WATER}", WATER),
]
for _state in ("new", "confirmed", "released", "shipped"):
    CANDIDATES[f"order_{_state}"] = [
        T(f"order_{_state}:{REALTY}", "realty-cs-hotline", "zhaomin"),
        T(f"order_{_state}:{WATER}", "water-cs-hotline", "lvxin"),
    ]
# DRL-1: per subsidiary a drill of its plan scheduled, one held (for the evaluation and corrective actions)
# and an open corrective action of the held one
CANDIDATES["drill"] = [T(f"drill:{REALTY}", REALTY), T(f"drill:{WATER}", WATER)]
# EMG-4: per subsidiary a reported fire incident (reported by its 客服经理, the owner) and an activated one
# whose first checklist item is assigned to an agent; the command centre's 主任 (who holds the plan's
# powers) is 李娜 / 郑凯 — people without a delegation of their own, so the slot's holder acts
INCIDENT_DIRECTOR = {REALTY: "lina", WATER: "zhengkai"}
CANDIDATES["incident"] = [
    T(f"incident:{REALTY}", REALTY, "wangfang", director="lina"),
    T(f"incident:{WATER}", WATER, "gaofeng", director="zhengkai"),
]
# VEN-1 (issue 18): per subsidiary a vendor filing in each state a write acts on — a draft with every material,
# one submitted for review, one waiting for a supplement, one approved and one lapsed with a late report
for _state in ("draft", "submitted", "supplement", "approved", "lapsed"):
    CANDIDATES[f"vendor_{_state}"] = [
        T(f"vendor_{_state}:{REALTY}", REALTY),
        T(f"vendor_{_state}:{WATER}", WATER),
    ]
CANDIDATES["incident_task"] = [
    T(f"incident_task:{REALTY}", REALTY, "wangfang", assignee="zhaomin", director="lina"),
    T(f"incident_task:{WATER}", WATER, "gaofeng", assignee="lvxin", director="zhengkai"),
]
CARE_PEOPLE = {REALTY: ("wangfang", "lina"), WATER: ("gaofeng", "zhengkai")}  # (客服经理, who prepares)


def home(username: str) -> str:
    """The subsidiary a person works for; people of the group office count as 华辰置业's side."""
    unit = PEOPLE_BY_NAME[username].unit if username in PEOPLE_BY_NAME else HELPER_UNIT[username]
    return subsidiary_of(unit) or REALTY


def pick(family: str, username: str, side: str, *, avoid_self: bool = False) -> Target | None:
    """The record of `family` a cell aims at: on the person's own side ("in": theirs first, then one
    in their own unit, then one nearby) or on the other subsidiary's side ("out")."""
    mine = home(username)
    unit = PEOPLE_BY_NAME[username].unit
    pool = [
        t
        for t in CANDIDATES[family]
        if (t.subsidiary == mine) == (side == "in") and not (avoid_self and t.owner == username)
    ]
    if not pool:
        return None
    near = chain(unit)

    def rank(t: Target):
        distance = next((i for i, u in enumerate(near) if u in chain(t.unit)), len(near))
        return (t.owner != username, t.unit != unit, distance)

    return min(pool, key=rank)


# ---------------------------------------------------------------- building the records


class World:
    """Ids of the built records, the demo's people and a bearer header per person."""

    def __init__(self):
        self.ids: dict[str, int] = {}
        self.people = {}
        self.units = {}
        self.headers: dict[str, dict] = {}
        self.phones: dict[str, str] = {}  # a customer's or a claim's phone, by its key
        self.secrets: dict[str, str] = {}
        self._serial = iter(range(100_000))

    def id(self, key: str) -> int:
        return self.ids[key]

    def fresh_phone(self) -> str:
        return f"139{88000000 + next(self._serial):08d}"


def _actor(world, username):
    from kefu.org.access import actor_for

    return actor_for(world.people[username].user, origin="authz matrix setup")


def build(world: World) -> None:
    from kefu.cases.demo_config import load_case_config
    from kefu.core.actions import create_token
    from kefu.knowledge.demo import load_knowledge
    from kefu.org.models import Employee, Post, Role, Unit

    admin = _admin(world)
    load_case_config(admin)  # the demo's skill groups and the water company's own kinds
    load_knowledge(admin)
    world.units = {u.code: u for u in Unit.objects.all()}
    _helpers(world, admin)
    world.people = {e.user.username: e for e in Employee.objects.select_related("user", "unit")}
    for username, employee in world.people.items():
        _, token = create_token(_actor(world, username), user=employee.user, name="authz matrix")
        world.headers[username] = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        spare, _ = create_token(_actor(world, username), user=employee.user, name="authz spare")
        world.ids[f"token:{username}"] = spare.pk
    for key, unit in world.units.items():
        world.ids[f"unit:{key}"] = unit.pk
    for username, employee in world.people.items():
        world.ids[f"employee:{username}"] = employee.pk
        world.ids[f"roles:{username}"] = sorted(employee.role_assignments.values_list("role_id", flat=True))
    for post in Post.objects.all():
        world.ids[f"post:{post.code}"] = post.pk
    for role in Role.objects.all():
        world.ids[f"role:{role.code}"] = role.pk
    _sites(world)
    _customers(world, admin)
    _cases(world, admin)
    _claims(world)
    _governance(world)
    _delegations(world)
    _discipline(world, admin)
    _knowledge(world)
    _config(world, admin)
    _notifications(world)
    _approvals(world)
    _public(world)
    _revisits(world, admin)
    _handovers(world)
    _inspections(world)  # QA-1

    _reports(world)  # RPT-1
    _surveys(world)
    _care(world)
    _rotas(world, admin)
    _leave(world)
    _quality(world, admin)
    _appraisals(world)  # APR-1
    _emergency(world)  # EMG-1, EMG-2
    _surges(world)  # EMG-5
    _emergency_support(world)  # RES-1, WX-1
    _drills(world)  # DRL-1
    _incidents(world)  # EMG-4, EMG-5
    _vendors(world)  # VEN-1
    _documents(world)  # DOC-1
    _commerce(world)  # PRC-1, ORD-1
    _hardship(world, admin)  # HRD-1: last, its cases change the agents' loads (ROUTE-1)


def _leave(world):
    """A pending leave request per subsidiary (LV-1…LV-3): 赵敏's waits for 李娜, 吕欣's for 高峰."""
    from kefu.workforce.actions import leave

    start = clock.today() + timedelta(days=20)
    for sub, who in ((REALTY, "zhaomin"), (WATER, "lvxin")):
        made = leave.request(
            _actor(world, who),
            kind="leave",
            starts_on=start,
            ends_on=start,
            reason="矩阵",
            arrangement="矩阵",
        )
        world.ids[f"leave_pending:{sub}"] = made.pk


def _admin(world):
    from django.contrib.auth import get_user_model

    from kefu.core.actor import Actor

    return Actor(user=get_user_model().objects.get(username="admin"), origin="authz matrix setup")


def _helpers(world, admin):
    from kefu.org import actions as org
    from kefu.org.models import Employee, Post, Role

    for username, name, number, unit, post, role, boss in HELPERS:
        employee, _ = org.create_employee(
            admin,
            username=username,
            name=name,
            number=number,
            unit=world.units[unit],
            post=Post.objects.get(code=post),
            password="authz-matrix-2026",
            phone=world.fresh_phone(),
        )
        org.set_roles(admin, employee, [Role.objects.get(code=role)])
        org.update_employee(admin, employee, supervisors=[Employee.objects.get(user__username=boss)])


def _sites(world):
    from kefu.org.models import Site

    for site in Site.objects.select_related("unit"):
        world.ids[f"site:{site.unit.code}"] = site.pk


def _customers(world, admin):
    from kefu.customers import actions

    for target in CANDIDATES["customer"] + CANDIDATES["change_request"]:
        owner = world.people[target.owner]
        world.phones[target.key] = world.fresh_phone()
        customer = actions.create_customer(
            admin,
            name=f"矩阵客户{target.owner}",
            phone=world.phones[target.key],
            address="杭州市西湖区文三路 1 号",
            unit=world.units[target.unit],
            owner=owner,
        )
        world.ids[target.key] = customer.pk
    for target in CANDIDATES["change_request"]:
        from kefu.customers.models import Customer

        customer = Customer.objects.get(pk=world.ids[target.key])
        request = actions.request_change(
            _actor(world, target.owner), customer, {"needs": "改善型住宅"}, reason="客户来电更新需求"
        )
        world.ids[f"{target.key}:request"] = request.pk


def _case(world, admin, unit: str, owner: str, title: str):
    from kefu.cases import actions
    from kefu.cases.actions import routing as actions_routing

    case, _ = actions.create_case(
        admin,
        unit=world.units[unit],
        kind="complaint",
        channel="phone",
        title=title,
        description="矩阵测试投诉",
        contact={"name": "矩阵客户", "phone": world.fresh_phone()},
    )
    employee = world.people[owner]
    if case.owner_id != employee.pk:
        actions_routing.transfer(admin, case, reason="矩阵测试：指定负责人", to_owner=employee)
        case.refresh_from_db()
    return case


def _cases(world, admin):
    from kefu.cases import actions
    from kefu.cases.actions import handoffs as actions_handoffs
    from kefu.cases.models import Case

    for target in CANDIDATES["case"]:
        case = _case(world, admin, target.unit, target.owner, f"矩阵投诉 {target.owner}")
        world.ids[target.key] = case.pk
    for target in CANDIDATES["queued_case"]:
        case, _ = actions.create_case(
            admin,
            unit=world.units[target.unit],
            kind="important_event",
            channel="phone",
            title="矩阵：待分派",
            contact={"name": "矩阵客户", "phone": world.fresh_phone()},
        )
        assert case.owner_id is None, case.state
        world.ids[target.key] = case.pk
    for state in ("sent", "acknowledged", "clarifying", "solved"):
        for target in CANDIDATES[f"handoff_{state}"]:
            case = Case.objects.get(pk=world.ids[target.get("case")])
            sender = _actor(world, target.get("case_owner"))
            handoff = actions_handoffs.send(sender, case, world.units[target.unit], "请协助核实（矩阵测试）")
            if state != "sent":
                receiver = _actor(world, target.owner)
                handoff = actions_handoffs.acknowledge(receiver, handoff)
                if state == "clarifying":
                    handoff = actions_handoffs.ask_clarification(receiver, handoff, "请补充客户地址")
                elif state == "solved":
                    handoff = actions_handoffs.solve(receiver, handoff, "已安排上门")
            world.ids[target.key] = handoff.pk


def _hardship(world, admin):
    from kefu.cases.actions import hardship as actions_hardship
    from kefu.cases.actions import routing as actions_routing

    for target in CANDIDATES["hardship_case"]:
        report = actions_hardship.create_report(
            _actor(world, target.owner),
            unit=world.units[target.unit],
            phone=world.fresh_phone(),
            overdue_on=clock.today() + timedelta(days=10),
            hardship="矩阵测试：暂时无力还款",
            willingness="willing_unable",
            window_start="00:00",
            window_end="23:59",
        )
        case = report.case
        employee = world.people[target.owner]
        if case.owner_id != employee.pk:
            actions_routing.transfer(admin, case, reason="矩阵测试：指定负责人", to_owner=employee)
        world.ids[target.key] = case.pk


def _claims(world):
    from kefu.claims import actions

    for target in CANDIDATES["claim"]:
        world.phones[target.key] = world.fresh_phone()
        claim = actions.register(
            _actor(world, target.owner),
            customer={
                "name": "矩阵报备客户",
                "phone": world.phones[target.key],
                "address": "杭州市云栖路 1 号",
            },
        )
        world.ids[target.key] = claim.pk
    for target in CANDIDATES["dispute"]:
        owner = target.owner
        claim = actions.register(
            _actor(world, owner),
            customer={"name": "矩阵撞单客户", "phone": world.fresh_phone(), "address": "杭州市灵隐路 2 号"},
        )
        dispute = actions.raise_dispute(
            _actor(world, target.get("claimant")),
            claim,
            claimant=None,
            reason="我先接待",
            evidence="来访登记",
        )
        world.ids[target.key] = dispute.pk
    for state in ("submitted", "verified", "assigned", "following"):
        for target in CANDIDATES[f"report_{state}"]:
            report = actions.submit_report(
                _actor(world, target.owner), customer_name="矩阵", contact=world.fresh_phone(), needs="两居室"
            )
            boss = _actor(world, "heping" if target.owner == "huanglei" else "gaofeng")
            if state != "submitted":
                report = actions.review_report(boss, report, genuine=True, note="属实")
            if state in ("assigned", "following"):
                report = actions.assign_report(boss, report, world.people[target.get("assignee")])
            if state == "following":
                report = actions.report_feedback(_actor(world, target.get("assignee")), report, "已电话联系")
            world.ids[target.key] = report.pk


def _governance(world):
    from kefu.customers.governance.actions import access as governance
    from kefu.customers.models import Customer

    for target in CANDIDATES["borrowing"]:
        customer = Customer.objects.get(pk=world.ids[f"customer:{target.owner}"])
        card = governance.borrow(
            _actor(world, target.owner), customer, purpose="矩阵测试", due_at=clock.now() + timedelta(days=7)
        )
        world.ids[target.key] = card.pk


def _delegations(world):
    from kefu.org import actions as org
    from kefu.org.access import own_permissions

    for target in CANDIDATES["delegation"]:
        delegator = world.people[target.owner]
        permission = sorted(own_permissions(delegator) - {"org.view"})[0]
        delegation = org.create_delegation(
            _actor(world, target.owner),
            delegator=delegator,
            delegate=world.people[target.get("delegate")],
            permissions=[permission],
            starts_at=clock.now(),
            ends_at=clock.now() + timedelta(days=3),
            reason="休假期间代理（矩阵测试）",
        )
        world.ids[target.key] = delegation.pk


def _discipline(world, admin):
    from kefu.discipline import actions

    for target in CANDIDATES["proposal"]:
        proposal = actions.record_proposal(
            admin, world.people[target.owner], "info_misconduct", evidence="矩阵测试", measure="warning"
        )
        world.ids[target.key] = proposal.pk


def _knowledge(world):
    from kefu.knowledge import actions

    for state in ("draft", "published"):
        for target in CANDIDATES[f"article_{state}"]:
            article = actions.create_article(
                _actor(world, target.owner),
                title=f"矩阵文章 {state}",
                body="矩阵测试正文",
                category="consult",
                unit=world.units[target.unit],
            )
            if state == "published":
                article = actions.publish_article(_actor(world, target.owner), article)
            world.ids[target.key] = article.pk


def _config(world, admin):
    from kefu.cases.actions import config as actions_config
    from kefu.cases.models import CaseKind, SkillGroup

    actions_config.create_kind(
        admin, unit=world.units[REALTY], code="matrix_kind", family="consultation", name="矩阵类型"
    )
    for target in CANDIDATES["kind"]:
        world.ids[target.key] = CaseKind.objects.filter(unit__code=target.unit).order_by("pk").first().pk
    for target in CANDIDATES["group"]:
        world.ids[target.key] = SkillGroup.objects.get(unit__code=target.unit, code="hotline").pk


def _notifications(world):
    from kefu.engine.notifications.models import Notification

    for username, employee in world.people.items():
        note = Notification.objects.create(
            recipient=employee.user,
            template="matrix",
            language="zh-hans",
            subject="矩阵",
            created_at=clock.now(),
        )
        world.ids[f"notification:{username}"] = note.pk


def _approvals(world):
    """Two pending approval steps on statistics access requests (SEC-4): a cell aiming "in" makes its
    person an approver of the first; one aiming "out" makes sure they are not one of the second's."""
    from kefu.customers.governance.actions import access as governance
    from kefu.engine.workflow.models import ApprovalStep

    for key, requester in (("step:in", "zhaomin"), ("step:out", "lvxin")):
        request = governance.request_access(_actor(world, requester), kind="statistics", purpose="矩阵测试")
        step = ApprovalStep.objects.filter(request__object_id=str(request.pk), status="pending").get(
            request__content_type__model="accessrequest"
        )
        world.ids[key] = step.pk


def _public(world):
    from kefu.cases.actions import public as actions_public

    phone = world.fresh_phone()
    done = actions_public.submit(
        unit=world.units[WATER],
        kind="consultation",
        title="矩阵：公开表单",
        description="",
        contact={"name": "矩阵", "phone": phone},
        ip="192.0.2.10",
    )
    world.ids["public:number"] = done.case.number
    world.secrets["public"] = done.secret
    world.secrets["public:phone"] = phone


def _handovers(world):
    """A temporary handover per subsidiary, opened by its leaver 20 minutes ahead (HO-1)."""
    from kefu.workforce.actions import handovers

    for target in CANDIDATES["handover"]:
        handover = handovers.open_temporary(
            _actor(world, target.owner),
            leaves_at=clock.now() + timedelta(minutes=20),
            receiver=world.people[target.get("receiver")],
        )
        world.ids[target.key] = handover.pk


def _inspections(world):
    """QA-1: the inspections of the matrix, written directly (their sampling has its own tests)."""
    from kefu.cases.models import Case
    from kefu.quality.models import Inspection
    from kefu.quality.queries.scorecards import current_for

    for family, state in (("inspection_open", "assigned"), ("inspection_published", "published")):
        for target in CANDIDATES[family]:
            case = Case.objects.get(pk=world.ids[target.get("case")])
            found = Inspection.objects.create(
                case=case,
                unit=case.unit,
                agent=world.people[target.owner],
                inspector=world.people[target.get("inspector")],
                scorecard=current_for(case.unit),
                origin="manual",
                state=state,
                total=80 if state == "published" else None,
                assigned_at=clock.now(),
                scored_at=clock.now() if state == "published" else None,
                published_at=clock.now() if state == "published" else None,
            )
            world.ids[target.key] = found.pk


def _reports(world):
    """RPT-1: an agent's daily report per subsidiary; last month's service report of each 客服部 with its
    problems written and one open rectification item."""
    from kefu.insights.actions import reports

    for target in CANDIDATES["work_report"]:
        world.ids[target.key] = reports.open_mine(_actor(world, target.owner)).pk
    month = (clock.today().replace(day=1) - timedelta(days=1)).replace(day=1)
    for report_target, item_target in zip(
        CANDIDATES["service_report"], CANDIDATES["rectification"], strict=True
    ):
        manager = _actor(world, report_target.owner)
        report = reports.create_service_report(manager, world.units[report_target.unit], month)
        report = reports.update_service_report(manager, report, problems="矩阵问题")
        world.ids[report_target.key] = report.pk
        item = reports.add_item(
            manager,
            report,
            problem="矩阵整改项",
            measure="",
            owner=world.people[item_target.owner],
            due_on=clock.today() + timedelta(days=20),
        )
        world.ids[item_target.key] = item.pk


def _revisits(world, admin):
    """A revisit plan per subsidiary and one open revisit each, made through the actions (FUP-1)."""
    from kefu.cases import actions
    from kefu.cases.actions import routing as actions_routing
    from kefu.followups.actions import campaigns, plans
    from kefu.followups.models import RevisitTask

    for target, owner in zip(CANDIDATES["revisit"], ("zhaomin", "lvxin"), strict=True):
        unit = world.units[target.unit]
        plans.set_plan(admin, unit, "resolution", kinds=["consultation"])
        case, _ = actions.create_case(
            admin,
            unit=unit,
            kind="consultation",
            channel="phone",
            title="矩阵：待回访",
            contact={"name": "矩阵客户", "phone": world.fresh_phone()},
        )
        employee = world.people[owner]
        if case.owner_id != employee.pk:
            actions_routing.assign(admin, case, employee)
            case.refresh_from_db()
        handler = _actor(world, owner)
        case = actions.act(handler, case, "accept")
        case = actions.act(handler, case, "propose", data={"solution": "矩阵方案"})
        case = actions.act(handler, case, "inform", data={"customer_reply": "矩阵答复"})
        world.ids[target.key] = RevisitTask.objects.get(case=case).pk
    for target in CANDIDATES["campaign"]:
        campaign = campaigns.create_campaign(
            admin,
            world.units[target.unit],
            name="矩阵回访活动",
            starts_on=date(2099, 1, 1),
            ends_on=date(2099, 1, 31),
            rule={"tiers": ["strategic"]},
        )
        world.ids[target.key] = campaign.pk


def _surveys(world):
    """CSAT-1: the public case's survey, its link's token kept for the anonymous answer."""
    from kefu.cases.models import Case
    from kefu.core.actor import Actor
    from kefu.followups.actions import survey_links

    case = Case.objects.get(number=world.ids["public:number"])
    world.secrets["survey"] = survey_links.issue(Actor.system("matrix"), case)[1]


def care_festivals(count: int = 3) -> list[tuple[str, int]]:
    """The next `count` festivals (code, year) at least a week away: what care records can be planned for."""
    from kefu.engine.calendars.festivals import FESTIVALS, festival_date

    today = clock.today()
    found = sorted(
        (festival_date(code, year), code, year)
        for year in (today.year, today.year + 1)
        for code in FESTIVALS
        if festival_date(code, year) is not None and festival_date(code, year) > today + timedelta(days=7)
    )
    return [(code, year) for _day, code, year in found[:count]]


def _care(world):
    """Customer care per subsidiary (CARE-1…3), made through the actions as its 客服经理 and the person
    who prepares gift lists and events."""
    from kefu.customers.models import Customer
    from kefu.followups.actions import events, gifts, greetings
    from kefu.followups.models import GreetingDelivery, Invitation

    (first, first_year), (second, second_year), (third, third_year) = care_festivals()
    for sub, (manager, preparer) in CARE_PEOPLE.items():
        unit = world.units[sub]
        boss, maker = _actor(world, manager), _actor(world, preparer)
        one, two = Customer.objects.filter(unit__path__startswith=unit.path).order_by("pk")[:2]
        world.ids[f"care_customer:{sub}"] = two.pk
        planned = greetings.plan(
            boss, unit, occasion=first, year=first_year, channel="sms", message="矩阵慰问"
        )
        world.ids[f"care_campaign:{sub}"] = planned.pk
        calls = greetings.plan(
            boss,
            unit,
            occasion=second,
            year=second_year,
            channel="call",
            message="矩阵电话慰问",
            caller=world.people[manager],
        )
        greetings.start(boss, calls)
        greetings.run(calls.pk, size=2, batches=1)
        world.ids[f"care_delivery:{sub}"] = (
            GreetingDelivery.objects.filter(campaign=calls).order_by("pk").first().pk
        )
        draft = gifts.create_list(maker, unit, occasion=first, year=first_year)
        world.ids[f"care_gift_list:{sub}"] = draft.pk
        world.ids[f"care_gift_item:{sub}"] = gifts.add_item(
            maker, draft, customer=one, gift="月饼", price="88"
        ).pk
        pending = gifts.create_list(maker, unit, occasion=second, year=second_year)
        gifts.add_item(maker, pending, customer=one, gift="月饼", price="88")
        gifts.submit(maker, pending)
        world.ids[f"care_gift_pending:{sub}"] = pending.pk
        approved = gifts.create_list(maker, unit, occasion=third, year=third_year)
        waiting = gifts.add_item(maker, approved, customer=one, gift="茶叶", price="120")
        issued = gifts.add_item(maker, approved, customer=two, gift="茶叶", price="120")
        gifts.submit(maker, approved)
        gifts.decide(boss, approved, "approve")
        gifts.issue(maker, issued)
        world.ids[f"care_gift_approved_item:{sub}"] = waiting.pk
        world.ids[f"care_gift_issued_item:{sub}"] = issued.pk
        event = events.plan(
            maker, unit, title="矩阵文化交流", place="会议室", starts_on=clock.today() + timedelta(days=14)
        )
        events.invite(maker, event, send=False)
        world.ids[f"care_event:{sub}"] = event.pk
        world.ids[f"care_invitation:{sub}"] = Invitation.objects.filter(event=event).order_by("pk").first().pk


def _rotas(world, admin):
    """WFM-1: per hotline an early shift, a one-day rota drafted and published, a call-in shift for
    one agent in the evening, and that agent's pending request to give it to a colleague."""
    from datetime import datetime, time

    from kefu.workforce.actions import changes, coverage, rotas, shifts

    day = clock.today() + timedelta(days=3)
    for target, colleague in zip(CANDIDATES["rota_shift"], ("sunli", "wsales"), strict=True):
        unit = world.units[target.unit]
        # 07:00–08:00: the evening call-in below keeps the minimum rest (WFM-1) whoever has this shift
        template = shifts.save_template(admin, unit, code="early", name="早班", starts=time(7), ends=time(8))
        coverage.set_rule(admin, template, "weekday", min_staff=1)
        coverage.set_rule(admin, template, "weekend", min_staff=1)
        world.ids[f"shift_template:{target.unit}"] = template.pk
        rota = rotas.draft(admin, unit, day, day, time_limit=5)
        for _ in range(3):
            rota = rotas.advance(admin, rota, confirm_gaps=True)
        world.ids[f"rota:{target.unit}"] = rota.pk
        start = datetime.combine(day, time(20), tzinfo=clock.zone())
        shift = rotas.call_in(
            admin, world.people[target.owner], start, start + timedelta(hours=2), reason="矩阵"
        )
        world.ids[target.key] = shift.pk
        change = changes.request(
            _actor(world, target.owner), shift, world.people[colleague], reason="矩阵调班"
        )
        world.ids[f"shift_change:{target.owner}"] = change.pk


def _quality(world, admin):
    """QC-1 groups in each state and a flag; TRN-1 courses with an exam and an enrolled person."""
    from kefu.quality.actions import qcgroups, training
    from kefu.quality.models import QcFlag

    managers = {REALTY: "wangfang", WATER: "gaofeng"}
    for sub in (REALTY, WATER):
        for family in ("qcgroup", "qcgroup_requested", "qcgroup_registered", "qcflag"):
            target = next(t for t in CANDIDATES[family] if t.subsidiary == sub)
            group = qcgroups.create_group(
                _actor(world, managers[sub]),
                name=f"矩阵{family}",
                unit=world.units[target.unit],
                leader=world.people[target.owner],
                members=[],
                topic="矩阵课题",
            )
            if family != "qcgroup":
                qcgroups.request_registration(_actor(world, target.owner), group)
            if family in ("qcgroup_registered", "qcflag"):
                qcgroups.register_topic(admin, group)
            world.ids[target.key] = group.pk
    qcgroups.check_inactive(now=clock.now() + timedelta(days=400))
    for target in CANDIDATES["qcflag"]:
        world.ids[target.key] = QcFlag.objects.get(group_id=world.ids[target.key]).pk
    for target, manager in zip(CANDIDATES["course"], ("majun", "gaofeng"), strict=True):
        course = training.create_course(
            _actor(world, manager), title="矩阵课程", unit=world.units[target.unit], required_for_new=True
        )
        question = {"text": "矩阵题", "choices": ["对", "错"], "answer": 0}
        training.set_exam(_actor(world, manager), course, [question])
        training.enrol(_actor(world, manager), course, world.people[target.get("enrolled")])
        world.ids[target.key] = course.pk


def _appraisals(world):
    """APR-1: per hotline, the month before last published with everyone below the threshold (coaching
    plans open) and last month's round opened with every manual item scored (ready to publish)."""
    from kefu.quality.actions import appraisals
    from kefu.quality.models import CoachingPlan, ItemKind

    last = (clock.today().replace(day=1) - timedelta(days=1)).replace(day=1)
    before = (last - timedelta(days=1)).replace(day=1)
    for round_target, plan_target in zip(
        CANDIDATES["appraisal_round"], CANDIDATES["coaching_plan"], strict=True
    ):
        manager = _actor(world, round_target.get("manager"))
        unit = world.units[round_target.unit]
        for month, points in ((before, 30), (last, 80)):
            made = appraisals.open_round(manager, unit=unit, period_kind="month", day=month)
            entries = [
                {"result_id": s.result_id, "item_id": s.item_id, "points": points}
                for r in made.results.all()
                for s in r.scores.filter(item__kind=ItemKind.MANUAL)
            ]
            appraisals.score_many(manager, made, entries)
            if month == before:
                appraisals.publish(manager, made)
        world.ids[round_target.key] = made.pk
        result = made.results.get(employee=world.people[plan_target.owner])
        world.ids[f"{round_target.key}:result"] = result.pk
        world.ids[f"{round_target.key}:item"] = (
            result.scores.filter(item__kind=ItemKind.MANUAL).first().item_id
        )
        world.ids[plan_target.key] = CoachingPlan.objects.get(employee=world.people[plan_target.owner]).pk


def _emergency(world):
    """EMG-1, EMG-2: per subsidiary a plan from the fire template (version 1, distributed) and the command
    centre with its 主任 slot, formed by the subsidiary's 客服经理."""
    from kefu.emergency.actions import bodies, plans

    for sub, manager in ((REALTY, "wangfang"), (WATER, "gaofeng")):
        plan = plans.create_from_template(_actor(world, manager), unit=world.units[sub], plan_type="fire")
        world.ids[f"emergency_plan:{sub}"] = plan.pk
        world.ids[f"emergency_plan:{sub}:version"] = plan.versions.get().pk
        body = bodies.create_body(_actor(world, manager), unit=world.units[sub], kind="command")
        world.ids[f"emergency_slot:{sub}"] = body.slots.get().pk


def _documents(world):
    """DOC-1: per subsidiary a policy (version 1 distributed), a plan with one item and two suggestions
    (one accepted), made by the subsidiary's 客服经理 and its hotline's people."""
    from kefu.documents.actions import plans, policies, suggestions

    for sub, manager, person, agent in (
        (REALTY, "wangfang", "lina", "zhaomin"),
        (WATER, "gaofeng", "lvxin", "lvxin"),
    ):
        made = policies.issue(
            _actor(world, manager),
            unit=world.units[sub],
            title="矩阵制度",
            body="第一条",
            effective_on=clock.today(),
        )
        world.ids[f"policy:{sub}"] = made.pk
        world.ids[f"policy:{sub}:version"] = made.versions.get().pk
        plan = plans.create_plan(
            _actor(world, manager),
            unit=world.units[sub],
            kind="work",
            year=clock.today().year,
            title="矩阵计划",
            items=[plans.ItemIn("矩阵事项", world.people[person], clock.today() + timedelta(days=30))],
        )
        world.ids[f"workplan:{sub}"] = plan.pk
        world.ids[f"workplan:{sub}:item"] = plan.items.get().pk
        waiting = suggestions.submit(_actor(world, agent), title="矩阵建议", body="内容")
        world.ids[f"suggestion:{sub}"] = waiting.pk
        accepted = suggestions.submit(_actor(world, agent), title="矩阵已采纳建议", body="内容")
        suggestions.review(_actor(world, manager), accepted, accept=True)
        world.ids[f"suggestion_accepted:{sub}"] = accepted.pk


def _surges(world):
    """EMG-5: an ongoing, unacknowledged surge of 报修 per subsidiary (the detector's record, written
    as test data: the detector itself is tested in emergency/tests/test_surges.py)."""
    from kefu.emergency.models import Surge

    now = clock.now()
    for target in CANDIDATES["surge"]:
        surge = Surge.objects.create(
            unit=world.units[target.unit],
            family="repair",
            window_start=now - timedelta(minutes=60),
            window_end=now,
            window_minutes=60,
            count=20,
            peak=20,
            baseline=0,
            baseline_days=7,
            factor=3,
            threshold=20,
            detected_at=now,
            alerts=1,
            last_alert_at=now,
            next_alert_at=now + timedelta(minutes=10),
        )
        world.ids[target.key] = surge.pk


def _emergency_support(world):
    """RES-1: a first-aid kit per subsidiary (5 in stock); WX-1: the day's bulletin per subsidiary with three
    days of forecast entered."""
    from kefu.emergency.actions import resources, weather

    managers = {REALTY: "wangfang", WATER: "gaofeng"}
    for target in CANDIDATES["resource"]:
        manager = _actor(world, managers[target.subsidiary])
        item = resources.register_item(
            manager,
            unit=world.units[target.unit],
            kind="first_aid",
            name="矩阵急救箱",
            location="前台",
            quantity=5,
            custodian=world.people[target.owner],
            inspect_every_days=30,
        )
        world.ids[target.key] = item.pk
    for target in CANDIDATES["bulletin"]:
        manager = _actor(world, managers[target.subsidiary])
        unit = world.units[target.unit]
        for n in range(3):
            weather.save_forecast(
                manager,
                unit,
                day=clock.today() + timedelta(days=n),
                locality="矩阵市",
                weather="多云",
                temp_low=10,
                temp_high=20,
            )
        bulletin, _ = weather.open_bulletin(unit, clock.today())
        world.ids[target.key] = bulletin.pk


def _drills(world):
    """DRL-1: per subsidiary, on the fire plan of `_emergency`, a drill scheduled in three days, another
    held an hour ago, and an open corrective action of the held one (the 客服经理 writes them)."""
    from kefu.emergency.actions import drills
    from kefu.emergency.models import Plan

    for sub, manager, member in ((REALTY, "wangfang", "lina"), (WATER, "gaofeng", "lvxin")):
        me = _actor(world, manager)
        plan = Plan.objects.get(pk=world.ids[f"emergency_plan:{sub}"])
        made = [
            drills.schedule(
                me,
                plan,
                scheduled_for=clock.now() + timedelta(days=3),
                scenario="矩阵演练",
                place="前台",
                organiser=world.people[member],
            )
            for _ in range(2)
        ]
        world.ids[f"drill:{sub}"] = made[0].pk
        held = drills.record_held(
            me,
            made[1],
            held_at=clock.now() - timedelta(hours=1),
            summary="矩阵演练实施",
            participants=[(world.people[member], True)],
        )
        world.ids[f"drill:{sub}:held"] = held.pk
        action = drills.add_action(
            me, held, text="矩阵整改", owner=world.people[member], due_on=clock.today() + timedelta(days=7)
        )
        world.ids[f"drill:{sub}:action"] = action.pk


def _incidents(world):
    """EMG-4: the fire plan's command centre 主任 bound, a reported incident per subsidiary and an
    activated one with its checklist (the first item assigned to an agent)."""
    from kefu.emergency.actions import bodies, incidents
    from kefu.emergency.models import Body

    for target, task_target in zip(CANDIDATES["incident"], CANDIDATES["incident_task"], strict=True):
        sub, manager = target.unit, _actor(world, target.owner)
        body = Body.objects.filter(unit=world.units[sub], kind="command").first() or bodies.create_body(
            manager, unit=world.units[sub], kind="command"
        )
        director = world.people[INCIDENT_DIRECTOR[sub]]
        bodies.bind_slot(manager, body.slots.get(key="command.director"), holder=director, deputy=None)
        made = incidents.report(
            manager,
            unit=world.units[sub],
            plan_type="fire",
            title="矩阵突发事件",
            occurred_at=clock.now() - timedelta(minutes=5),
        )
        world.ids[target.key] = made.pk
        active = incidents.report(
            manager,
            unit=world.units[sub],
            plan_type="fire",
            title="矩阵处置中事件",
            occurred_at=clock.now() - timedelta(minutes=5),
        )
        active = incidents.activate(_actor(world, INCIDENT_DIRECTOR[sub]), active)
        task = active.tasks.order_by("position").first()
        incidents.task_assign(manager, task, world.people[task_target.get("assignee")])
        world.ids[task_target.key] = task.pk


def _vendors(world):
    """VEN-1: per subsidiary, entered by its 客服经理 and reviewed by the group office (张伟), a filing in each
    state the API's writes act on (the approved and lapsed ones approved five months ago; the lapsed one's
    first report never came, and a late report now waits for review)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kefu.vendors.actions import common, filings, reviews, supervision
    from kefu.vendors.models import MaterialKind

    reviewer = _actor(world, "zhangwei")
    pdf = b"%PDF-1.4\n%%EOF\n"
    for n, (sub, manager) in enumerate(((REALTY, "wangfang"), (WATER, "gaofeng"))):
        me = _actor(world, manager)
        for m, state in enumerate(("draft", "submitted", "supplement", "approved", "lapsed")):
            first17 = f"9133010{n}MA2W{m}X0{n}{m}"
            with clock.frozen_at(clock.now() - timedelta(days=160 if state in ("approved", "lapsed") else 1)):
                found = filings.create(
                    me,
                    unit=world.units[sub],
                    name=f"矩阵外包{state}",
                    credit_code=first17 + common.check_digit(first17),
                    registered_capital="1000000",
                    contact_name="矩阵联系人",
                    contact_phone="13900000000",
                )
                for kind in MaterialKind:
                    upload = SimpleUploadedFile("m.pdf", pdf, "application/pdf")
                    filings.add_material(me, found, kind=kind, upload=upload)
                if state != "draft":
                    filings.submit(me, found)
                if state == "supplement":
                    reviews.request_supplement(reviewer, found, reason="矩阵补充", kinds=["credit"])
                if state in ("approved", "lapsed"):
                    reviews.approve(reviewer, found)
            if state == "approved":
                found.dues.update(lapse_after=clock.today() + timedelta(days=30))  # not lapsing today
            if state == "lapsed":
                supervision.lapse()
                supervision.submit_report(me, found, summary="矩阵补报", revenue="1", staff_count=1)
            world.ids[f"vendor_{state}:{sub}"] = found.pk


def _commerce(world):
    """PRC-1: per subsidiary an item priced today (approved by another person), 1000 in stock, and a price
    change awaiting approval; ORD-1: orders of the hotline agent's customer — new, confirmed, released by
    finance (the administrator for water, which has no 财务), shipped."""
    from kefu.catalogue.actions import items
    from kefu.customers.models import Customer
    from kefu.orders.actions import orders

    setup = {
        REALTY: ("wangfang", "guoqing", "zhaomin", "guoqing", "lina"),
        WATER: ("gaofeng", "zhangwei", "lvxin", None, "gaofeng"),
    }
    for sub, (manager, approver, agent, finance, shipper) in setup.items():
        me = _actor(world, manager)
        version = items.propose(
            me,
            kind="new",
            unit=world.units[sub],
            code="MATRIX",
            name="矩阵门锁",
            measure="把",
            price="100.00",
            effective_on=clock.today(),
            reason="矩阵",
        )
        version = items.decide(_actor(world, approver), version, approve=True)
        world.ids[f"catalogue_item:{sub}"] = version.item_id
        orders.set_stock(me, version.item, on_hand=1000)
        pending = items.propose(
            me,
            kind="price",
            item=version.item,
            price="120.00",
            effective_on=clock.today() + timedelta(days=5),
            reason="矩阵",
        )
        world.ids[f"catalogue_proposal:{sub}"] = pending.pk
        customer = Customer.objects.get(pk=world.ids[f"customer:{agent}"])
        taker = _actor(world, agent)
        line = [{"item_id": version.item_id, "quantity": 1}]
        made = {
            state: orders.create(taker, customer, lines=line)
            for state in ("new", "confirmed", "released", "shipped")
        }
        for state in ("confirmed", "released", "shipped"):
            orders.confirm(taker, made[state], payment_method="transfer")
        for state in ("released", "shipped"):
            orders.release(_actor(world, finance) if finance else _admin(world), made[state], paid="100.00")
        orders.ship(_actor(world, shipper), made["shipped"], carrier="矩阵物流", carrier_phone="13900009999")
        for state, order in made.items():
            world.ids[f"order_{state}:{sub}"] = order.pk
