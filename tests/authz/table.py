"""The authorization table: one row per write operation of the API (POST / PUT / PATCH / DELETE).

A row says how to aim the operation at a record inside the caller's scope ("in") and at one of the
other subsidiary ("out"), how to build a valid body, and — from the role table only (`roles.py`) —
who may do it. `test_matrix.py` fails when the API has a write operation without a row here.

Expected outcomes follow SPEC §1–2 and issue 10:
- ORG-3: the permission must reach the target (its unit, or the caller's own records for "own").
- ORG-4: a supervisory-only person (督导) writes nothing except comments (`kind="comment"`); the
  only other writes open to everyone are personal ones (`kind="personal"`: one's own API tokens,
  inbox read marks, one's own availability), which change no business record.
- ORG-5: a delegation is made by the delegator for rights they hold, to someone in their scope;
  revoked by the delegator or by a delegation manager in scope.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from kefu.cases import sla
from kefu.cases.models import Case
from kefu.core import clock
from kefu.engine.calendars.festivals import statutory_festivals
from kefu.vendors.actions.common import check_digit
from tests.authz import roles
from tests.authz.roles import PEOPLE_BY_NAME, covers, holds, under, unit_covered
from tests.authz.rules import (
    SEES,
    Rule,
    anyone,
    both,
    care,
    either,
    held,
    owner,
    perm,
    person,
    refusal,
    rule,
    supervises_report,
    supervisors,
    unit_perm,
)
from tests.authz.world import CANDIDATES, REALTY, WATER, T, Target, care_festivals, home, pick

# ---------------------------------------------------------------- the row


@dataclass
class Ctx:
    """What a body builder sees: the built world, the caller and the target."""

    world: object
    user: str
    side: str
    target: Target | None

    def id(self, key: str) -> int:
        return self.world.ids[key]

    @property
    def tid(self) -> int:
        return self.world.ids[self.target.key]

    def pk(self, username: str) -> int:
        return self.world.ids[f"employee:{username}"]

    def unit_name(self) -> str:
        return self.world.units[self.target.unit].name


@dataclass
class Op:
    method: str
    path: str  # the OpenAPI path; its one {placeholder} takes the target's id
    rules: str  # the SPEC rules the row checks, for the test id and the report
    allow: Rule  # expected: may this person do it to this target?
    family: str | None = None  # where targets come from (world.CANDIDATES); None: one cell per person
    body: Callable[[Ctx], dict | None] | None = None
    kind: str = "write"  # write / comment / personal (ORG-4)
    sides: tuple = ("in", "out")
    avoid_self: bool = False
    path_key: Callable[[Target], str] | None = None  # the world key whose id goes into the path
    target: Callable[[str, str], Target | None] | None = None  # custom target choice (user, side)
    prepare: Callable[[Ctx], None] | None = None  # a write the cell needs first (inside its savepoint)
    multipart: Callable[[Ctx], dict] | None = None
    auth: str = "bearer"  # bearer / session / anonymous
    sees: Rule | None = None  # who can read the target (default: SEES[family]); see rules.refusal
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.method} {self.path.removeprefix('/api/v1')}"

    def target_for(self, user: str, side: str) -> Target | None:
        if self.family is None and self.target is None:
            return T("-", PEOPLE_BY_NAME[user].unit, user) if side == "in" else None
        if self.target is not None:
            return self.target(user, side)
        return pick(self.family, user, side, avoid_self=self.avoid_self)

    def expected(self, user: str, target: Target) -> bool:
        person = PEOPLE_BY_NAME[user]
        kind = self.kind(user, target) if callable(self.kind) else self.kind
        if person.supervisory_only and kind == "write":
            return False  # ORG-4: 只有督导权没有行政权
        return self.allow(user, target)

    def refusal(self, user: str, target: Target) -> frozenset[int]:
        """The statuses a refusal may answer: exactly 404 for a target outside the caller's reach that
        they cannot see (no existence leak), 403 or 404 otherwise (rules.refusal)."""
        sees = self.sees if self.sees is not None else SEES.get(self.family)
        return refusal(self.allow, sees, user, target)


def _takes_orders(u: str, t: Target) -> bool:
    """ORD-1: an order is placed at its customer's unit, within the taker's order.create grant (an "own"
    grant reaches the taker's own unit and below: the order is theirs)."""
    return any(under(t.unit, g.anchor or PEOPLE_BY_NAME[u].unit) for g in roles.grants(u, "order.create"))


def _two_months_back():
    """RPT-1: a month without a service report yet (the world has last month's)."""
    first = clock.today().replace(day=1)
    return (first - timedelta(days=32)).replace(day=1)


def _holiday_schedule(year: int) -> str:
    """A complete schedule of `year` for the calendar import: every statutory festival's days."""
    return "\n".join(f"{d},休,{name}" for name, days in statutory_festivals(year).items() for d in days)


def _previewed_import(ctx: Ctx) -> dict:
    """A token of a previewed import (made by the system, so any caller can send it)."""
    from kefu.core.actor import Actor
    from kefu.engine.calendars import actions, importing

    rows = importing.parse_text(_holiday_schedule(2027))
    return {"token": actions.preview_holiday_year(Actor.system("authz"), 2027, rows)["token"]}


# ---------------------------------------------------------------- targets that are not records of a family


def own_or_other(prefix: str) -> Callable[[str, str], Target]:
    """The caller's own record ("in") or another person's ("out")."""

    def choose(user: str, side: str) -> Target:
        other = "zhangwei" if user == "admin" else "admin"
        who = user if side == "in" else other
        return T(f"{prefix}:{who}", PEOPLE_BY_NAME[who].unit, who)

    return choose


def approval_step(user: str, side: str) -> Target:
    """A pending step the caller is made an approver of ("in"), or one they are not ("out")."""
    if side == "in":
        return T("step:in", PEOPLE_BY_NAME[user].unit, user)
    return T("step:out", "water-cs")


def _set_approver(ctx: Ctx) -> None:
    from kefu.engine.workflow.models import ApprovalStep

    step = ApprovalStep.objects.get(pk=ctx.tid)
    user = ctx.world.people[ctx.user].user
    if ctx.side == "in":
        step.approvers.add(user)
    else:
        step.approvers.remove(user)


def decide_step(path: str, rules: str) -> Op:
    """WF-4: an approver holding approval.decide decides a pending step; no scope applies (ORG-4:
    a supervisory role never approves)."""
    return Op(
        "POST",
        path,
        rules,
        both(owner, held("approval.decide")),
        target=approval_step,
        sees=owner,  # a step is seen by its approvers
        prepare=_set_approver,
        body=lambda c: {"decision": "approve"},
    )


def availability(user: str, side: str) -> Target | None:
    if side == "self":
        return T(f"employee:{user}", PEOPLE_BY_NAME[user].unit, user)
    return pick("employee", user, side, avoid_self=True)


def receiving_unit(user: str, side: str) -> Target:
    """Where a new case is received: the caller's own unit ("in", no unit_id sent) or a hotline of
    the other subsidiary ("out")."""
    if side == "in":
        return T("self-unit", PEOPLE_BY_NAME[user].unit, user)
    return (
        T("unit:water-cs-hotline", "water-cs-hotline")
        if home(user) == REALTY
        else T("unit:realty-cs-hotline", "realty-cs-hotline")
    )


def _case_number(pk: int) -> str:
    """SLA-1: a call log names its case by number."""
    return Case.objects.get(pk=pk).number


def _quality_clock(ctx: Ctx) -> None:
    """SLA-1: the target case has a major quality problem's notice clock running."""
    sla.start(Case.objects.get(pk=ctx.tid), "quality_notice")


def personal_if_self(user: str, target: Target) -> str:
    return "personal" if target.owner == user else "write"


team_member = rule(lambda u, t: PEOPLE_BY_NAME[u].unit == t.unit, personal=True)


# ---------------------------------------------------------------- bodies

# EMG-1: a plan is seen through emergency.view / emergency.plan.manage, or by the staff it was distributed
# to (everyone of the plan's unit and below); the staff acknowledge the version distributed to them
emergency_recipient = rule(lambda u, t: under(PEOPLE_BY_NAME[u].unit, t.unit), personal=True)
EMERGENCY_PLAN_SEES = either(
    unit_perm("emergency.view"), unit_perm("emergency.plan.manage"), emergency_recipient
)
# DOC-1: a policy is seen through documents.view / documents.manage over its unit, or by the staff it was
# distributed to (everyone of its unit and below), who acknowledge the version in force; a plan by those
# and by the owner of one of its items; a suggestion by those and by its author
policy_recipient = rule(lambda u, t: under(PEOPLE_BY_NAME[u].unit, t.unit), personal=True)
POLICY_SEES = either(unit_perm("documents.view"), unit_perm("documents.manage"), policy_recipient)
DOCUMENTS_SEES = either(unit_perm("documents.view"), unit_perm("documents.manage"), owner)
# EMG-3: the levels belong to the subsidiary of the unit named
emergency_levels = rule(
    lambda u, t: unit_covered(u, "emergency.plan.manage", roles.subsidiary_of(t.unit) or t.unit),
    ["emergency.plan.manage"],
)
# DRL-1: drills are seen through emergency.view / emergency.plan.manage over the drill's unit
DRILL_SEES = either(unit_perm("emergency.view"), unit_perm("emergency.plan.manage"))
# EMG-4: an incident is seen through emergency.view / emergency.command over its unit, by its reporter and
# by the assignee of one of its checklist items; EMG-3: the plan's powers belong to the role slot holder
INCIDENT_SEES = either(unit_perm("emergency.view"), unit_perm("emergency.command"), owner, person("director"))
INCIDENT_TASK_SEES = either(INCIDENT_SEES, person("assignee"))
incident_director = rule(lambda u, t: u == t.get("director"), personal=True)
# EMG-5: any staff of the unit reports (or the command centre over it)
incident_reporter = either(
    rule(lambda u, t: under(PEOPLE_BY_NAME[u].unit, t.unit), personal=True), unit_perm("emergency.command")
)
QC_SEES = either(owner, unit_perm("qc.view"), unit_perm("qc.manage"), unit_perm("qc.register"))  # QC-1
COURSE_SEES = either(unit_perm("training.manage"), unit_perm("training.view"), person("enrolled"))  # TRN-1


def _exam_answers(ctx: Ctx) -> dict:
    """The right answers of the course's exam (TRN-1)."""
    from kefu.quality.models import Question

    return {"answers": {str(q.pk): q.answer for q in Question.objects.filter(exam__course_id=ctx.tid)}}


def _later(days: int = 3) -> str:
    from kefu.core import clock

    return (clock.now() + timedelta(days=days)).isoformat()


def _delegable(user: str) -> list[str]:
    """A right the caller holds through a role (ORG-5): an acting one if any."""
    person = PEOPLE_BY_NAME[user]
    codes = set()
    for role in person.roles:
        codes |= roles.ROLE[role].permissions
    if person.superuser:
        codes |= {"customer.view"}
    acting = sorted(c for c in codes if roles.CATALOGUE[c].kind not in ("view",))
    return [acting[0] if acting else "org.view"]


OTHER_CASE_OWNER = {
    "zhaomin": "sunli",
    "sunli": "zhaomin",
    "wujing": "zhaomin",
    "lvxin": "xuhao",
    "xuhao": "lvxin",
}
HANDOFF_TO = {
    "realty-cs-hotline": "realty-cs-complaints",
    "realty-cs-complaints": "realty-cs-hotline",
    "water-cs-hotline": "water-tech",
    "water-tech": "water-cs-hotline",
}
PARTNER = {  # CUS-6: the duplicate merged into the target, on the same side
    "customer:zhaomin": "customer:lina",
    "customer:lina": "customer:zhaomin",
    "customer:wangfang": "customer:lina",
    "customer:huanglei": "customer:heping",
    "customer:heping": "customer:huanglei",
    "customer:linxiao": "customer:huanglei",
    "customer:lvxin": "customer:gaofeng",
    "customer:gaofeng": "customer:lvxin",
}
CUSTOMERS = {t.key: t for t in CANDIDATES["customer"]}


def _merge_allowed(u: str, t: Target) -> bool:
    reach = either(perm("customer.manage"), perm("customer.merge"))
    return reach(u, t) and reach(u, CUSTOMERS[PARTNER[t.key]])


merge_allowed = rule(_merge_allowed, ["customer.manage", "customer.merge"])


def _xlsx(ctx: Ctx) -> dict:
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["客户名称", "手机"])
    book.active.append(["矩阵导入", ctx.world.fresh_phone()])
    data = io.BytesIO()
    book.save(data)
    return {
        "unit_id": ctx.tid,
        "existing": "skip",
        "file": SimpleUploadedFile(
            "import.xlsx",
            data.getvalue(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    }


def _photo_file(ctx: Ctx) -> dict:
    """EMG-4: a photo of the scene (a JPEG by its first bytes)."""
    return {"file": SimpleUploadedFile("scene.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "image/jpeg")}


def _text_file(ctx: Ctx) -> dict:
    return {"file": SimpleUploadedFile("note.txt", "矩阵附件\n".encode(), "text/plain")}


RESOURCE_SEES = either(
    owner, unit_perm("resources.view"), unit_perm("resources.manage")
)  # RES-1: custodian too


def _forecast_file(ctx: Ctx) -> dict:
    """WX-1: a three-day forecast file for the target subsidiary."""
    lines = ["日期,地区,天气,最低气温,最高气温,风力,预警"]
    lines += [f"{clock.today() + timedelta(days=n)},矩阵市,多云,10,20,," for n in range(3)]
    unit_id = ctx.id(f"unit:{ctx.target.unit}")
    return {"unit_id": unit_id, "file": SimpleUploadedFile("f.csv", "\n".join(lines).encode(), "text/csv")}


CASE_BODY = {"kind": "consultation", "channel": "phone", "title": "矩阵来电"}

# VEN-1 (issue 18): who reads a vendor filing — vendors.view, .manage or .review over its subsidiary
VENDOR_SEES = either(unit_perm("vendors.view"), unit_perm("vendors.manage"), unit_perm("vendors.review"))


def _vendor_side(user: str, side: str) -> Target:
    """A new filing is for a subsidiary: the person's own ("in") or the other one ("out")."""
    mine = home(user)
    return T("-", mine if side == "in" else (WATER if mine == REALTY else REALTY), user)


def _credit_check(first17: str) -> str:
    return check_digit(first17)


def _vendor_material(ctx: Ctx) -> dict:
    """VEN-1: a PDF material for the draft filing."""
    return {"kind": "licence", "file": SimpleUploadedFile("m.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")}


def _new_hardship(ctx: Ctx) -> dict:
    body = {
        "phone": ctx.world.fresh_phone(),
        "overdue_on": (clock.today() + timedelta(days=10)).isoformat(),
        "hardship": "矩阵测试：暂时无力还款",
        "willingness": "willing_unable",
        "window_start": "12:00",
        "window_end": "14:00",
    }
    if ctx.side == "out":
        body["unit_id"] = ctx.tid
    return body


def _hardship_call(ctx: Ctx) -> dict:
    return {"target": "customer", "outcome": "unreachable"}  # HRD-1: the customer, inside an all-day window


def _new_case(ctx: Ctx) -> dict:
    body = {**CASE_BODY, "customer": {"name": "矩阵来电", "phone": ctx.world.fresh_phone()}}
    if ctx.side == "out":
        body["unit_id"] = ctx.tid
    return body


# ---------------------------------------------------------------- the table

OPS: list[Op] = [
    # ---- tokens (ORG-6): personal ----------------------------------------------------------------
    Op(
        "POST",
        "/api/v1/tokens",
        "ORG-6",
        anyone,
        body=lambda c: {"name": "矩阵令牌"},
        kind="personal",
        auth="session",  # issue 10 (tokens): minting will need a session; the session path is the stable one
    ),
    Op(
        "DELETE",
        "/api/v1/tokens/{token_id}",
        "ORG-6",
        owner,
        target=own_or_other("token"),
        sees=owner,
        kind="personal",
    ),
    # ---- organisation (ORG-1…ORG-5) ----------------------------------------------------------------
    Op(
        "POST",
        "/api/v1/org/units",
        "ORG-1 ORG-3",
        unit_perm("org.manage"),
        family="department",
        body=lambda c: {
            "kind": "team",
            "name": f"矩阵组{c.user}",
            "code": f"mx-{c.user}",
            "parent_id": c.tid,
        },
    ),
    Op(
        "PATCH",
        "/api/v1/org/units/{unit_id}",
        "ORG-1 ORG-3",
        unit_perm("org.manage"),
        family="unit",
        body=lambda c: {"name": c.unit_name() + "（矩阵）"},
    ),
    Op(
        "POST",
        "/api/v1/org/sites",
        "ORG-1 ORG-3",
        unit_perm("org.manage"),
        family="subsidiary",
        body=lambda c: {"name": "矩阵站点", "kind": "showroom", "unit_id": c.tid},
    ),
    Op(
        "PATCH",
        "/api/v1/org/sites/{site_id}",
        "ORG-1 ORG-3",
        unit_perm("org.manage"),
        family="site",
        body=lambda c: {"address": "杭州市矩阵路 1 号"},
    ),
    Op(
        "POST",
        "/api/v1/org/employees",
        "ORG-2 ORG-3 ORG-6",
        unit_perm("org.manage"),
        family="unit",
        body=lambda c: {
            "username": f"mx-{c.user}",
            "name": "矩阵新人",
            "number": f"MX-{c.user}",
            "unit_id": c.tid,
            "post_id": c.id("post:cs_specialist"),
        },
    ),
    Op(
        "PATCH",
        "/api/v1/org/employees/{employee_id}",
        "ORG-2 ORG-3",
        unit_perm("org.manage"),
        family="employee",
        avoid_self=True,
        body=lambda c: {"email": f"{c.target.owner}@matrix.kefu.invalid"},
    ),
    Op(
        "PUT",
        "/api/v1/org/employees/{employee_id}/roles",
        "ORG-3",
        both(held("role.manage"), unit_perm("org.manage")),
        family="employee",
        avoid_self=True,
        body=lambda c: {"role_ids": c.world.ids[f"roles:{c.target.owner}"]},
    ),
    Op(
        "POST",
        "/api/v1/org/roles",
        "ORG-3 ORG-4",
        held("role.manage"),
        body=lambda c: {"code": "mx_role", "name": "矩阵角色", "permissions": ["org.view"], "scope": "own"},
    ),
    Op(
        "PATCH",
        "/api/v1/org/roles/{role_id}",
        "ORG-3",
        held("role.manage"),  # roles are group-wide configuration: no scope
        target=lambda u, side: T("role:finance", "hc-group") if side == "in" else None,
        sees=held("org.view"),  # roles are group-wide configuration, read by whoever sees the organisation
        body=lambda c: {"description": "财务：本公司（矩阵）"},
    ),
    Op(
        "POST",
        "/api/v1/org/delegations",
        "ORG-3 ORG-4 ORG-5",
        perm("org.view"),  # the delegate must be someone the delegator sees; rights they hold
        family="employee",
        avoid_self=True,
        body=lambda c: {
            "delegator_id": c.pk(c.user),
            "delegate_id": c.tid,
            "permissions": _delegable(c.user),
            "ends_at": _later(),
            "reason": "休假期间代理（矩阵）",
        },
    ),
    Op(
        "POST",
        "/api/v1/org/delegations/{delegation_id}/revoke",
        "ORG-4 ORG-5",
        either(owner, unit_perm("delegation.manage")),
        family="delegation",
    ),
    # ---- customers (CUS-1…CUS-7, SEC-2) -------------------------------------------------------------
    Op(
        "POST",
        "/api/v1/customers",
        "CUS-1 ORG-3",
        # a unit in reach, or an "own"-scope holder's own unit (the customer is then theirs)
        either(
            unit_perm("customer.manage"),
            rule(
                lambda u, t: holds(u, "customer.manage") and t.unit == PEOPLE_BY_NAME[u].unit,
                ["customer.manage"],
            ),
        ),
        family="unit",
        body=lambda c: {
            "name": "矩阵新客户",
            "phone": c.world.fresh_phone(),
            "address": "杭州市西湖区文三路 9 号",
            "unit_id": c.tid,
        },
    ),
    Op(
        "PATCH",
        "/api/v1/customers/{customer_id}",
        "CUS-1 CUS-4 ORG-3",
        perm("customer.manage"),  # sales and marketing: a change request (202) — still allowed
        family="customer",
        body=lambda c: {"needs": "矩阵需求"},
    ),
    Op(
        "POST",
        "/api/v1/customers/{customer_id}/contacts",
        "CUS-1 ORG-3",
        perm("customer.manage"),
        family="customer",
        body=lambda c: {"name": "矩阵联系人"},
    ),
    Op(
        "POST",
        "/api/v1/customers/{customer_id}/assign",
        "CUS-7 ORG-3",
        perm("customer.manage"),
        family="customer",
        body=lambda c: {},
    ),
    Op(
        "PUT",
        "/api/v1/customers/specialists/{employee_id}/skills",
        "CUS-7 ORG-3",
        unit_perm("customer.manage"),
        family="employee",
        body=lambda c: {"industries": ["矩阵行业"]},
    ),
    Op(
        "POST",
        "/api/v1/customers/{customer_id}/contact-records",
        "CUS-7 ORG-3",
        perm("customer.manage"),
        family="customer",
        body=lambda c: {"note": "电话沟通（矩阵）"},
    ),
    Op(
        "POST",
        "/api/v1/customers/change-requests/{request_id}/decide",
        "CUS-4 ORG-3",
        perm("customer.verify"),
        family="change_request",
        path_key=lambda t: f"{t.key}:request",
        body=lambda c: {"decision": "approve"},
    ),
    # ---- notifications (NTF-1): personal -------------------------------------------------------------
    Op("POST", "/api/v1/notifications/read-all", "NTF-1", anyone, kind="personal"),
    Op(
        "POST",
        "/api/v1/notifications/{notification_id}/read",
        "NTF-1",
        owner,
        target=own_or_other("notification"),
        sees=owner,
        kind="personal",
    ),
    # ---- approvals (WF-4, ORG-4) ----------------------------------------------------------------------
    decide_step("/api/v1/approvals/steps/{step_id}/decide", "WF-4 ORG-4"),
    # ---- 报备 (CLM-1…CLM-12) ----------------------------------------------------------------------------
    Op(
        "POST",
        "/api/v1/claims",
        "CLM-2 CLM-4",
        held("claim.register"),
        body=lambda c: {
            "customer": {
                "name": "矩阵报备",
                "phone": c.world.fresh_phone(),
                "address": "杭州市西湖区云栖路 5 号",
            }
        },
    ),
    Op(
        "POST",
        "/api/v1/claims/disputes",
        "CLM-1 CLM-6",
        # the clash is group-wide (CLM-4 holds one live claim per phone across the group): raised by
        # any registering salesperson who is not the holder, whichever side the claim is on
        held("claim.register"),
        family="claim",
        avoid_self=True,
        body=lambda c: {"phone": c.world.phones[c.target.key], "reason": "我先接待（矩阵）"},
    ),
    Op(
        "POST",
        "/api/v1/claims/disputes/{dispute_id}/rule",
        "CLM-6 ORG-3",
        unit_perm("claim.rule"),
        family="dispute",
        body=lambda c: {"outcome": "owner_upheld", "ruling": "报备有效（矩阵）"},
    ),
    Op(
        "POST",
        "/api/v1/claims/{claim_id}/deposit",
        "CLM-3 ORG-3",
        either(owner, unit_perm("claim.manage")),
        family="claim",
    ),
    Op(
        "POST",
        "/api/v1/claims/{claim_id}/expire",
        "CLM-5 ORG-3",
        unit_perm("claim.manage"),
        family="claim",
        body=lambda c: {"reason": "客户放弃（矩阵）"},
    ),
    Op(
        "POST",
        "/api/v1/claims/{claim_id}/dispute",
        "CLM-6 ORG-3",
        either(owner, unit_perm("claim.manage")),
        family="claim",
        body=lambda c: {
            "reason": "撞单（矩阵）",
            "claimant_id": c.pk("heping" if c.target.owner != "heping" else "huanglei"),
        },
    ),
    Op(
        "POST",
        "/api/v1/claims/{claim_id}/deal",
        "CLM-9 ORG-3",
        either(owner, unit_perm("claim.manage")),
        family="claim",
        body=lambda c: {
            "amount": "1000000",
            "agreed_by_id": c.pk(supervisors(c.target.owner)[0]),  # CLM-9: the registrant's 主管领导
            "shares": [{"employee_id": c.pk(c.target.owner), "percent": "100"}],
        },
    ),
    Op(
        "POST",
        "/api/v1/claims/{claim_id}/choice",
        "CLM-5 ORG-3",
        unit_perm("claim.manage"),
        family="claim",
        body=lambda c: {"chosen_id": c.pk(c.target.owner), "evidence": "客户书面选择（矩阵）"},
    ),
    Op(
        "POST",
        "/api/v1/claims/process-reports",
        "CLM-11",
        held("claim.register"),
        body=lambda c: {"customer_name": "矩阵", "contact": c.world.fresh_phone(), "needs": "两居室"},
    ),
    Op(
        "POST",
        "/api/v1/claims/process-reports/{report_id}/review",
        "CLM-11 ORG-3",
        supervises_report,
        family="report_submitted",
        body=lambda c: {"genuine": True, "note": "属实"},
    ),
    Op(
        "POST",
        "/api/v1/claims/process-reports/{report_id}/assign",
        "CLM-11 ORG-3",
        supervises_report,
        family="report_verified",
        body=lambda c: {"employee_id": c.pk(c.target.get("assignee"))},
    ),
    Op(
        "POST",
        "/api/v1/claims/process-reports/{report_id}/feedback",
        "CLM-11 ORG-3",
        either(person("assignee"), supervises_report),
        family="report_assigned",
        body=lambda c: {"text": "已联系（矩阵）"},
    ),
    Op(
        "POST",
        "/api/v1/claims/process-reports/{report_id}/plans",
        "CLM-11 ORG-3",
        person("assignee"),  # the follow-up employee writes the plan; their superior approves it
        family="report_assigned",
        body=lambda c: {"text": "首付分期方案（矩阵）"},
    ),
    Op(
        "POST",
        "/api/v1/claims/process-reports/{report_id}/archive",
        "CLM-11 ORG-3",
        supervises_report,
        family="report_following",
    ),
    Op(
        "POST",
        "/api/v1/claims/daily",
        "CLM-12 ORG-3",
        either(
            unit_perm("claim.manage"),
            unit_perm("claim.register"),
            rule(
                lambda u, t: holds(u, "claim.register") and under(PEOPLE_BY_NAME[u].unit, t.unit),
                ["claim.register"],
            ),
        ),
        family="subsidiary",
        body=lambda c: {"unit_id": c.tid, "none_today": True},
    ),
    # ---- archive care (SEC-4…SEC-9, CUS-6, CUS-8) ----------------------------------------------------
    Op(
        "POST",
        "/api/v1/customers/governance/borrowings",
        "SEC-4 ORG-3",
        perm("customer.borrow"),
        family="customer",
        body=lambda c: {"customer_id": c.tid, "purpose": "合同核对（矩阵）", "due_at": _later(7)},
    ),
    Op(
        "POST",
        "/api/v1/customers/governance/borrowings/{pk}/return",
        "SEC-4 ORG-3",
        either(owner, unit_perm("customer.borrow")),
        family="borrowing",
    ),
    Op(
        "POST",
        "/api/v1/customers/governance/access-requests",
        "SEC-4 ORG-3 ORG-4",
        perm("customer.view"),  # anyone may ask, about a customer they see
        family="customer",
        body=lambda c: {"kind": "archive", "purpose": "回访准备（矩阵）", "customer_id": c.tid},
    ),
    Op(
        "POST",
        "/api/v1/customers/governance/exports",
        "SEC-5",
        held("customer.export"),
        body=lambda c: {"purpose": "季度分析（矩阵）"},
    ),
    Op(
        "POST",
        "/api/v1/customers/governance/imports",
        "CUS-8 ORG-3",
        unit_perm("customer.import"),
        family="unit",
        multipart=_xlsx,
    ),
    Op(
        "POST",
        "/api/v1/customers/governance/destruction-requests",
        "SEC-8 ORG-3",
        either(perm("customer.destroy"), perm("customer.manage")),
        family="customer",
        body=lambda c: {"customer_id": c.tid, "reason": "资料过期（矩阵）"},
    ),
    decide_step("/api/v1/customers/governance/steps/{step_id}/decide", "SEC-4 WF-4 ORG-4"),
    Op(
        "POST",
        "/api/v1/customers/governance/incidents",
        "SEC-9 ORG-3",
        unit_perm("security.incident"),
        family="employee",
        avoid_self=True,
        body=lambda c: {
            "kind": "leak",
            "occurred_at": _later(-1),
            "description": "客户资料外泄（矩阵）",
            "person_id": c.tid,
            "customer_ids": [],
        },
    ),
    Op(
        "POST",
        "/api/v1/customers/governance/merge-requests",
        "CUS-6 ORG-3",
        merge_allowed,
        family="customer",
        body=lambda c: {
            "survivor_id": c.tid,
            "duplicate_id": c.id(PARTNER[c.target.key]),
            "reason": "重复（矩阵）",
        },
    ),
    # ---- handover and attendance (HO-1, ATT-1) ----------------------------------------------------------
    Op("POST", "/api/v1/workforce/attendance/clock", "ATT-1", anyone, kind="personal"),
    Op(
        "POST",
        "/api/v1/workforce/handovers",
        "HO-1",
        anyone,
        kind="personal",
        body=lambda c: {"leaves_at": (clock.now() + timedelta(minutes=20)).isoformat()},
    ),
    Op(
        "POST",
        "/api/v1/workforce/handovers/{handover_id}/confirm",
        "HO-1",
        either(owner, person("receiver")),
        family="handover",
        sees=either(owner, person("receiver"), unit_perm("attendance.view")),
        body=lambda c: {},
    ),
    Op(
        "POST",
        "/api/v1/workforce/handovers/{handover_id}/liabilities",
        "HO-1 ORG-3",
        either(unit_perm("attendance.manage"), unit_perm("case.manage")),
        family="handover",
        sees=either(owner, person("receiver"), unit_perm("attendance.view")),
        body=lambda c: {"kind": "omission", "note": "矩阵：漏交"},
    ),
    # ---- quality inspection (QA-1) -----------------------------------------------------------------------
    Op(
        "POST",
        "/api/v1/quality/inspections/{inspection_id}/score",
        "QA-1 ORG-3",
        both(person("inspector"), unit_perm("quality.inspect")),
        family="inspection_open",
        kind="comment",
        sees=unit_perm("quality.inspect"),
        body=lambda c: {"scores": [], "comment": "矩阵"},
    ),
    Op(
        "POST",
        "/api/v1/quality/inspections/{inspection_id}/publish",
        "QA-1 ORG-3",
        both(person("inspector"), unit_perm("quality.inspect")),
        family="inspection_open",
        kind="comment",
        sees=unit_perm("quality.inspect"),
    ),
    Op(
        "POST",
        "/api/v1/quality/inspections/{inspection_id}/appeal",
        "QA-1",
        owner,
        family="inspection_published",
        kind="personal",
        sees=either(unit_perm("quality.inspect"), perm("quality.view")),
        body=lambda c: {"reason": "矩阵：申诉"},
    ),
    Op(
        "POST",
        "/api/v1/quality/inspections/{inspection_id}/rule",
        "QA-1 ORG-3",
        both(
            unit_perm("quality.inspect"),
            rule(lambda u, t: u not in (t.get("inspector"), t.owner), ["quality.inspect"]),
        ),
        family="inspection_published",
        kind="comment",
        sees=either(unit_perm("quality.inspect"), perm("quality.view")),
        body=lambda c: {"outcome": "upheld", "ruling": "矩阵：维持"},
    ),
    Op(
        "POST",
        "/api/v1/quality/scorecards",
        "QA-1 ORG-3",
        unit_perm("quality.configure"),
        family="subsidiary",
        body=lambda c: {"unit_id": c.tid, "name": "矩阵评分表", "items": [{"name": "问题解决", "weight": 1}]},
    ),
    Op(
        "PUT",
        "/api/v1/quality/sampling/plan",
        "QA-1 ORG-3",
        unit_perm("quality.configure"),
        family="subsidiary",
        body=lambda c: {"unit_id": c.tid, "risk_weights": {"complaint": 3}},
    ),
    Op("POST", "/api/v1/quality/sampling/run", "QA-1", held("quality.configure")),
    Op(
        "POST",
        "/api/v1/quality/calibrations",
        "QA-1 ORG-3",
        unit_perm("quality.inspect"),
        family="case",
        kind="comment",
        body=lambda c: {"case_id": c.tid, "inspector_ids": [c.pk("zhouqiang"), c.pk("tangning")]},
    ),
    # ---- revisits (FUP-1, FUP-2) -------------------------------------------------------------------------
    Op(
        "PUT",
        "/api/v1/followups/plans",
        "FUP-1 ORG-3",
        unit_perm("revisit.configure"),
        family="subsidiary",
        body=lambda c: {"unit_id": c.tid, "trigger": "complaint"},
    ),
    Op(
        "POST",
        "/api/v1/followups/tasks/{task_id}/attempts",
        "FUP-1 ORG-3",
        perm("revisit.handle"),
        family="revisit",
        sees=perm("revisit.view"),
        body=lambda c: {"outcome": "unreachable"},
    ),
    Op(
        "POST",
        "/api/v1/followups/tasks/{task_id}/survey",
        "CSAT-1 ORG-3",
        perm("revisit.handle"),
        family="revisit",
        sees=perm("revisit.view"),
        body=lambda c: {"ratings": {"service": "satisfied", "solution": "satisfied"}},
    ),
    Op(
        "POST",
        "/api/v1/followups/surveys/questionnaires",
        "CSAT-1 ORG-3",
        unit_perm("revisit.configure"),
        family="subsidiary",
        body=lambda c: {
            "unit_id": c.tid,
            "items": [{"code": "service", "zh": "服务质量", "en": "Service", "kind": "rating"}],
        },
    ),
    # ---- customer care (CARE-1…CARE-3): the subsidiary's records, reached by a care grant inside it --------
    Op(
        "POST",
        "/api/v1/followups/greetings",
        "CARE-1 ORG-3",
        care("care.manage"),
        family="subsidiary",
        body=lambda c: {
            "unit_id": c.tid,
            "occasion": care_festivals()[0][0],
            "year": care_festivals()[0][1],
            "channel": "sms",
            "message": "矩阵慰问",
        },
    ),
    Op(
        "POST",
        "/api/v1/followups/campaigns",
        "FUP-1 ORG-3",
        unit_perm("revisit.configure"),
        family="subsidiary",
        body=lambda c: {
            "unit_id": c.tid,
            "name": "矩阵新回访活动",
            "starts_on": "2099-02-01",
            "ends_on": "2099-02-28",
        },
    ),
    Op(
        "POST",
        "/api/v1/followups/greetings/{campaign_id}/start",
        "CARE-1 ORG-3",
        care("care.manage"),
        family="care_campaign",
    ),
    Op(
        "POST",
        "/api/v1/followups/greetings/deliveries/{delivery_id}/done",
        "CARE-1 ORG-3",
        care("care.manage"),
        family="care_delivery",
    ),
    # ---- rest and leave (LV-1…LV-3): one's own request is personal; the approver decides ----------
    Op(
        "POST",
        "/api/v1/workforce/leave",
        "LV-1",
        anyone,
        kind="personal",
        body=lambda c: {
            "kind": "leave",
            "starts_on": str(clock.today() + timedelta(days=40)),
            "ends_on": str(clock.today() + timedelta(days=40)),
            "reason": "矩阵",
            "arrangement": "矩阵",
        },
    ),
    Op(
        "POST",
        "/api/v1/workforce/leave/{leave_id}/decision",
        "LV-2 LV-3 WF-4",
        person("approver"),
        family="leave_pending",
        sees=person("approver"),
        body=lambda c: {"decision": "approve"},
    ),
    Op(
        "POST",
        "/api/v1/followups/gifts",
        "CARE-2 ORG-3",
        care("care.manage"),
        family="subsidiary",
        body=lambda c: {"unit_id": c.tid, "occasion": care_festivals()[0][0], "year": care_festivals()[0][1]},
    ),
    Op(
        "POST",
        "/api/v1/followups/gifts/{list_id}/items",
        "CARE-2 ORG-3",
        care("care.manage"),
        family="care_gift_list",
        body=lambda c: {
            "customer_id": c.id(f"care_customer:{c.target.unit}"),
            "gift": "茶叶",
            "price": "99.00",
        },
    ),
    Op(
        "DELETE",
        "/api/v1/followups/gifts/items/{item_id}",
        "CARE-2 ORG-3",
        care("care.manage"),
        family="care_gift_item",
    ),
    Op(
        "POST",
        "/api/v1/followups/gifts/{list_id}/submit",
        "CARE-2 ORG-3",
        care("care.manage"),
        family="care_gift_list",
    ),
    Op(
        "POST",
        "/api/v1/followups/gifts/{list_id}/decision",
        "CARE-2 WF-4",
        person("approver"),
        family="care_gift_pending",
        body=lambda c: {"decision": "approve"},
    ),
    Op(
        "POST",
        "/api/v1/followups/gifts/items/{item_id}/issue",
        "CARE-2 ORG-3",
        care("care.manage"),
        family="care_gift_approved_item",
    ),
    Op(
        "POST",
        "/api/v1/followups/gifts/items/{item_id}/receipt",
        "CARE-2 ORG-3",
        care("care.manage"),
        family="care_gift_issued_item",
        body=lambda c: {"receipt": "received"},
    ),
    Op(
        "POST",
        "/api/v1/followups/events",
        "CARE-3 ORG-3",
        care("care.manage"),
        family="subsidiary",
        body=lambda c: {
            "unit_id": c.tid,
            "title": "矩阵活动",
            "place": "会议室",
            "starts_on": _later(21)[:10],
        },
    ),
    Op(
        "POST",
        "/api/v1/public/surveys/answers",
        "CSAT-1",
        anyone,  # the survey token in the body is the key (no login)
        target=lambda u, side: T("public", WATER) if (u, side) == ("admin", "in") else None,
        auth="anonymous",
        body=lambda c: {
            "token": c.world.secrets["survey"],
            "ratings": {"service": "satisfied", "solution": "satisfied"},
        },
    ),
    Op(
        "POST",
        "/api/v1/followups/campaigns/{campaign_id}/launch",
        "FUP-1 ORG-3",
        unit_perm("revisit.configure"),
        family="campaign",
        sees=unit_perm("revisit.view"),
    ),
    Op(
        "POST",
        "/api/v1/followups/shipments",
        "FUP-1 ORG-3",
        both(perm("customer.view"), unit_perm("revisit.handle")),
        family="customer",
        body=lambda c: {
            "customer_id": c.tid,
            "shipped_at": "2026-01-05T09:00:00+08:00",
            "reference": "矩阵-1",
        },
    ),
    Op(
        "POST",
        "/api/v1/followups/events/{event_id}/invite",
        "CARE-3 ORG-3",
        care("care.manage"),
        family="care_event",
    ),
    Op(
        "POST",
        "/api/v1/followups/events/{event_id}/cancel",
        "CARE-3 ORG-3",
        care("care.manage"),
        family="care_event",
    ),
    Op(
        "POST",
        "/api/v1/followups/events/invitations/{invitation_id}",
        "CARE-3 ORG-3",
        care("care.manage"),
        family="care_invitation",
        body=lambda c: {"rsvp": "yes"},
    ),
    # ---- discipline (DIS-1) ------------------------------------------------------------------------------
    Op(
        "POST",
        "/api/v1/discipline",
        "DIS-1 ORG-3",
        perm("discipline.confirm"),
        family="employee",
        avoid_self=True,
        body=lambda c: {
            "employee_id": c.tid,
            "offence": "info_misconduct",
            "evidence": "矩阵",
            "measure": "warning",
        },
    ),
    Op(
        "POST",
        "/api/v1/discipline/{proposal_id}/confirm",
        "DIS-1 ORG-3",
        unit_perm("discipline.confirm"),
        family="proposal",
        body=lambda c: {"reason": "属实（矩阵）"},
    ),
    Op(
        "POST",
        "/api/v1/discipline/{proposal_id}/reject",
        "DIS-1 ORG-3",
        unit_perm("discipline.confirm"),
        family="proposal",
        body=lambda c: {"reason": "不属实（矩阵）"},
    ),
    # ---- service cases (CASE-1…CASE-8, ROUTE-1, ESC-1) --------------------------------------------------
    Op(
        "POST",
        "/api/v1/cases",
        "CASE-1 CASE-2 ORG-3",
        rule(
            lambda u, t: (
                holds(u, "case.handle") if t.key == "self-unit" else unit_covered(u, "case.handle", t.unit)
            ),
            ["case.handle"],
        ),
        target=receiving_unit,
        sees=unit_perm("org.view"),
        body=_new_case,
    ),
    Op(
        "PUT",
        "/api/v1/cases/availability/{employee_id}",
        "ROUTE-1 ORG-3",
        either(owner, perm("case.manage")),
        target=availability,
        sees=perm("org.view"),
        sides=("self", "in", "out"),
        kind=personal_if_self,
        body=lambda c: {"available": True, "note": "矩阵"},
    ),
    Op(
        "POST",
        "/api/v1/cases/{case_id}/transitions",
        "CASE-3 ORG-3",
        perm("case.handle"),
        family="case",
        body=lambda c: {"to": "accept"},
    ),
    Op(
        "POST",
        "/api/v1/cases/{case_id}/assign",
        "ROUTE-1 ORG-3",
        perm("case.manage"),
        family="queued_case",
        body=lambda c: {"owner_id": c.pk("zhaomin" if c.target.subsidiary == REALTY else "lvxin")},
    ),
    Op(
        "POST",
        "/api/v1/cases/{case_id}/transfer",
        "CASE-6 ORG-3",
        either(perm("case.manage"), both(owner, held("case.handle"))),
        family="case",
        body=lambda c: {
            "reason": "转专人处理（矩阵）",
            "to_owner_id": c.pk(OTHER_CASE_OWNER[c.target.owner]),
        },
    ),
    Op(
        "POST",
        "/api/v1/cases/{case_id}/escalate",
        "ESC-1 WF-6 ORG-3",
        perm("case.handle"),
        family="case",
        body=lambda c: {"reason": "无法解决（矩阵）"},
    ),
    Op(
        "POST",
        "/api/v1/cases/{case_id}/verify-identity",
        "CASE-2 ORG-3",
        perm("case.handle"),
        family="case",
    ),
    Op(
        "POST",
        "/api/v1/cases/hardship",
        "HRD-1 ORG-3",
        rule(
            lambda u, t: (
                holds(u, "case.handle") if t.key == "self-unit" else unit_covered(u, "case.handle", t.unit)
            ),
            ["case.handle"],
        ),
        target=receiving_unit,
        sees=unit_perm("org.view"),
        body=_new_hardship,
    ),
    Op(
        "POST",
        "/api/v1/cases/{case_id}/hardship/calls",
        "HRD-1 ORG-3",
        perm("case.handle"),
        family="hardship_case",
        sees=SEES["case"],
        multipart=_hardship_call,
    ),
    Op(
        "POST",
        "/api/v1/cases/{case_id}/comments",
        "ORG-3 ORG-4",
        perm("case.comment"),
        family="case",
        kind="comment",  # ORG-4: the one write a supervisory role keeps
        body=lambda c: {"body": "督办意见（矩阵）"},
    ),
    Op(
        "POST",
        "/api/v1/cases/{case_id}/attachments",
        "ORG-3 ORG-4",
        perm("case.comment"),
        family="case",
        multipart=_text_file,  # a file is not a comment: ORG-4 refuses it to 督导
    ),
    Op(
        "POST",
        "/api/v1/cases/config/kinds",
        "CASE-1 ORG-3",
        unit_perm("case.configure"),
        family="subsidiary",
        body=lambda c: {"unit_id": c.tid, "code": "mx_new", "family": "consultation", "name": "矩阵新类型"},
    ),
    Op(
        "PATCH",
        "/api/v1/cases/config/kinds/{kind_id}",
        "CASE-1 ORG-3",
        unit_perm("case.configure"),
        family="kind",
        body=lambda c: {"ordering": 7},
    ),
    Op(
        "POST",
        "/api/v1/cases/config/groups",
        "ROUTE-1 ORG-3",
        unit_perm("case.configure"),
        family="unit",
        body=lambda c: {"unit_id": c.tid, "code": "mxg", "name": "矩阵技能组"},
    ),
    Op(
        "PATCH",
        "/api/v1/cases/config/groups/{group_id}",
        "ROUTE-1 ORG-3",
        unit_perm("case.configure"),
        family="group",
        body=lambda c: {"name": "热线组（矩阵）"},
    ),
    Op(
        "POST",
        "/api/v1/cases/{case_id}/closure-report",
        "CASE-4 ORG-3",
        either(owner, perm("case.manage")),
        family="case",
        body=lambda c: {
            "solution_type": "apologise",
            "solution": "当面致歉（矩阵）",
            "time_spent_minutes": 30,
            "preventive_measures": "加强培训",
            "satisfaction": "satisfied",
        },
    ),
    Op(
        "POST",
        "/api/v1/cases/{case_id}/compensations",
        "CASE-4 WF-4 ORG-3",
        either(owner, perm("case.manage")),
        family="case",
        body=lambda c: {"amount": "100.00", "description": "补偿（矩阵）"},
    ),
    Op(
        "POST",
        "/api/v1/cases/{case_id}/staff-caused",
        "CASE-5 ORG-3",
        either(owner, perm("case.manage")),
        family="case",
        body=lambda c: {"responsible_id": c.pk(OTHER_CASE_OWNER[c.target.owner]), "cause": "attitude"},
    ),
    Op(
        "POST",
        "/api/v1/cases/{case_id}/staff-caused/verify",
        "CASE-5 ORG-3",
        perm("case.manage"),
        family="case",
        body=lambda c: {"verified": True, "note": "已查实（矩阵）"},
    ),
    Op(
        "POST",
        "/api/v1/cases/{case_id}/root-cause",
        "CASE-7 ORG-3",
        either(owner, perm("case.manage")),
        family="case",
        body=lambda c: {"root_cause": "流程缺失（矩阵）", "corrective_action": "补充流程"},
    ),
    Op(
        "POST",
        "/api/v1/cases/{case_id}/handoffs",
        "CASE-8 ORG-3",
        either(owner, perm("case.manage")),
        family="case",
        body=lambda c: {"unit_id": c.id(f"unit:{HANDOFF_TO[c.target.unit]}"), "request": "请协助（矩阵）"},
    ),
    *[
        Op(
            "POST",
            f"/api/v1/cases/handoffs/{{handoff_id}}/{step}",
            "CASE-8 ORG-3",
            perm("case.handle"),  # the receiving department: case.handle over the handoff's unit
            family=family,
            body=body,
        )
        for step, family, body in [
            ("acknowledge", "handoff_sent", lambda c: {}),
            ("clarify", "handoff_acknowledged", lambda c: {"question": "请补充（矩阵）"}),
            ("solve", "handoff_acknowledged", lambda c: {"solution": "上门处理（矩阵）"}),
            (
                "defer",
                "handoff_acknowledged",
                lambda c: {"reason": "需要备件（矩阵）", "expected_at": "2030-01-02T10:00:00+08:00"},
            ),
            ("close", "handoff_solved", lambda c: {"report": "已处理完毕（矩阵）"}),
        ]
    ],
    Op(
        "POST",
        "/api/v1/cases/{case_id}/rings",
        "SLA-1 ORG-3",
        either(owner, perm("case.manage")),
        family="case",
        body=lambda c: {"rings": 2, "answered": True},
    ),
    Op(
        "POST",
        "/api/v1/cases/calls/import",
        "SLA-1 ORG-3",
        perm("case.handle"),
        family="case",
        body=lambda c: {
            "calls": [
                {
                    "case_number": _case_number(c.tid),
                    "call_id": f"mx-{c.user}-{c.side}",
                    "rang_at": "2026-01-02T10:00:00+08:00",
                    "answered_at": "2026-01-02T10:00:20+08:00",
                    "rings": 4,
                }
            ]
        },
    ),
    Op(
        "POST",
        "/api/v1/cases/{case_id}/quality-notice",
        "SLA-1 ORG-3",
        either(owner, perm("case.manage")),
        family="case",
        prepare=_quality_clock,
        body=lambda c: {"note": "重大质量问题（矩阵）"},
    ),
    Op(
        "POST",
        "/api/v1/cases/handoffs/{handoff_id}/answer-clarification",
        "CASE-8 ORG-3",
        # the sender: the case's owner, or case.manage over the case
        either(
            person("case_owner"),
            rule(
                lambda u, t: covers(u, "case.manage", unit=t.get("case_unit"), owner=t.get("case_owner")),
                ["case.manage"],
            ),
        ),
        family="handoff_clarifying",
        body=lambda c: {"clarification": "地址：文三路 1 号（矩阵）"},
    ),
    # ---- the public form (CASE-2): no login, nobody's scope -------------------------------------------------
    Op(
        "POST",
        "/api/v1/public/cases",
        "CASE-2",
        anyone,
        target=lambda u, side: T("public", WATER) if (u, side) == ("admin", "in") else None,
        auth="anonymous",
        body=lambda c: {
            "kind": "consultation",
            "title": "矩阵咨询",
            "unit": "hc-water",
            "contact": {"name": "矩阵", "phone": c.world.fresh_phone()},
        },
    ),
    Op(
        "POST",
        "/api/v1/public/cases/lookup",
        "CASE-2",
        anyone,  # the number and the phone given when reporting are the key (issue 13: the lost link)
        target=lambda u, side: T("public", WATER) if (u, side) == ("admin", "in") else None,
        auth="anonymous",
        body=lambda c: {"number": c.world.ids["public:number"], "phone": c.world.secrets["public:phone"]},
    ),
    Op(
        "POST",
        "/api/v1/public/cases/{number}/messages",
        "CASE-2",
        anyone,
        target=lambda u, side: T("public", WATER) if (u, side) == ("admin", "in") else None,
        path_key=lambda t: "public:number",
        auth="anonymous",
        body=lambda c: {"secret": c.world.secrets["public"], "body": "补充说明（矩阵）"},
    ),
    Op(
        "POST",
        "/api/v1/public/cases/{number}/satisfaction",
        "CASE-2 CASE-3",
        anyone,
        target=lambda u, side: T("public", WATER) if (u, side) == ("admin", "in") else None,
        path_key=lambda t: "public:number",
        auth="anonymous",
        body=lambda c: {"secret": c.world.secrets["public"], "satisfied": True},
    ),
    # ---- knowledge base (KB-1) ---------------------------------------------------------------------------
    Op(
        "POST",
        "/api/v1/knowledge/articles",
        "KB-1 ORG-3",
        unit_perm("kb.edit"),
        family="unit",
        body=lambda c: {"title": "矩阵文章", "body": "正文（矩阵）", "category": "consult", "unit_id": c.tid},
    ),
    Op(
        "PATCH",
        "/api/v1/knowledge/articles/{article_id}",
        "KB-1 ORG-3",
        unit_perm("kb.edit"),
        family="article_draft",
        body=lambda c: {"title": "矩阵文章（改）"},
    ),
    Op(
        "POST",
        "/api/v1/knowledge/articles/{article_id}/publish",
        "KB-1 ORG-3",
        unit_perm("kb.edit"),
        family="article_draft",
    ),
    Op(
        "POST",
        "/api/v1/knowledge/articles/{article_id}/archive",
        "KB-1 ORG-3",
        unit_perm("kb.edit"),
        family="article_published",
    ),
    Op(
        "POST",
        "/api/v1/calendars/holiday-years/preview",
        "CAL-3",
        held("calendar.manage"),  # calendars are group-wide configuration: no scope
        body=lambda c: {"year": 2027, "text": _holiday_schedule(2027)},
    ),
    Op(
        "POST",
        "/api/v1/calendars/holiday-years/import",
        "CAL-3",
        held("calendar.manage"),
        body=_previewed_import,
    ),
    # ---- workforce: shifts and the rota (WFM-1)
    Op(
        "PUT",
        "/api/v1/workforce/templates",
        "WFM-1 ORG-3",
        unit_perm("rota.manage"),
        family="unit",
        body=lambda c: {
            "unit_id": c.tid,
            "code": "matrix",
            "name": "矩阵班",
            "starts": "09:00",
            "ends": "17:00",
        },
    ),
    Op(
        "PUT",
        "/api/v1/workforce/coverage",
        "WFM-1 ORG-3",
        unit_perm("rota.manage"),
        family="shift_template",
        sees=unit_perm("rota.view"),
        body=lambda c: {"template_id": c.tid, "day_kind": "holiday", "min_staff": 1},
    ),
    Op(
        "POST",
        "/api/v1/workforce/rotas",
        "WFM-1 ORG-3",
        unit_perm("rota.manage"),
        family="unit",
        body=lambda c: {"unit_id": c.tid, "starts_on": _later(10)[:10], "ends_on": _later(10)[:10]},
    ),
    Op(
        "POST",
        "/api/v1/workforce/rotas/{rota_id}/advance",
        "WFM-1 ORG-3",
        unit_perm("rota.manage"),
        family="rota",
        sees=either(unit_perm("rota.view"), team_member),
        body=lambda c: {},
    ),
    Op(
        "POST",
        "/api/v1/workforce/rotas/{rota_id}/comments",
        "WFM-1",
        team_member,
        family="rota",
        sees=either(unit_perm("rota.view"), team_member),
        body=lambda c: {"text": "矩阵意见"},
    ),
    Op(
        "POST",
        "/api/v1/workforce/call-ins",
        "WFM-1 ORG-3",
        unit_perm("rota.manage"),
        family="employee",
        body=lambda c: {
            "employee_id": c.tid,
            "starts_at": _later(20),
            "ends_at": _later(21),
            "reason": "矩阵紧急排班",
        },
    ),
    Op("POST", "/api/v1/workforce/my/feed", "WFM-1", anyone, kind="personal"),
    Op(
        "POST",
        "/api/v1/workforce/changes",
        "WFM-1",
        owner,
        family="rota_shift",
        sees=either(unit_perm("rota.view"), team_member),
        body=lambda c: {
            "shift_id": c.tid,
            "colleague_id": c.pk("sunli" if c.target.unit == "realty-cs-hotline" else "wsales"),
            "reason": "矩阵调班",
        },
    ),
    Op(
        "POST",
        "/api/v1/workforce/changes/{change_id}/decide",
        "WFM-1 ORG-3",
        unit_perm("rota.manage"),
        family="shift_change",
        sees=either(unit_perm("rota.view"), owner, person("colleague")),
        body=lambda c: {"approve": True},
    ),
    # ---- QC groups (QC-1) and training (TRN-1), issue 16 ------------------------------------------------
    Op(
        "POST",
        "/api/v1/quality/qcgroups",
        "QC-1 ORG-3",
        unit_perm("qc.manage"),
        body=lambda c: {
            "name": "矩阵小组",
            "unit_id": c.id(f"unit:{c.target.unit}"),
            "leader_id": c.pk(c.user),
            "topic": "矩阵课题",
        },
    ),
    Op(
        "POST",
        "/api/v1/quality/qcgroups/{group_id}/registration",
        "QC-1 ORG-3",
        either(owner, unit_perm("qc.manage")),
        family="qcgroup",
        sees=QC_SEES,
        body=lambda c: {},
    ),
    Op(
        "POST",
        "/api/v1/quality/qcgroups/{group_id}/registration/approve",
        "QC-1 ORG-3",
        unit_perm("qc.register"),
        family="qcgroup_requested",
        sees=QC_SEES,
        body=lambda c: {},
    ),
    Op(
        "POST",
        "/api/v1/quality/qcgroups/{group_id}/stage",
        "QC-1 ORG-3",
        either(owner, unit_perm("qc.manage")),
        family="qcgroup_registered",
        sees=QC_SEES,
        body=lambda c: {"stage": "do"},
    ),
    Op(
        "POST",
        "/api/v1/quality/qcgroups/{group_id}/activities",
        "QC-1 ORG-3",
        either(owner, unit_perm("qc.manage")),
        family="qcgroup_registered",
        sees=QC_SEES,
        body=lambda c: {
            "day": clock.today().isoformat(),
            "kind": "meeting",
            "stage": "do",
            "minutes": "矩阵",
        },
    ),
    Op(
        "POST",
        "/api/v1/quality/qcgroups/flags/{flag_id}/explanation",
        "QC-1",
        owner,
        family="qcflag",
        sees=QC_SEES,
        body=lambda c: {"explanation": "矩阵说明"},
    ),
    Op(
        "POST",
        "/api/v1/quality/training/courses",
        "TRN-1 ORG-3",
        unit_perm("training.manage"),
        body=lambda c: {"title": "矩阵课程", "unit_id": c.id(f"unit:{c.target.unit}")},
    ),
    Op(
        "PUT",
        "/api/v1/quality/training/courses/{course_id}/exam",
        "TRN-1 ORG-3",
        unit_perm("training.manage"),
        family="course",
        sees=COURSE_SEES,
        body=lambda c: {"questions": [{"text": "矩阵题", "choices": ["对", "错"], "answer": 1}]},
    ),
    Op(
        "POST",
        "/api/v1/quality/training/courses/{course_id}/enrolments",
        "TRN-1 ORG-3",
        unit_perm("training.manage"),
        family="course",
        sees=COURSE_SEES,
        body=lambda c: {"employee_id": c.pk("sunli" if c.target.subsidiary == REALTY else "zhengkai")},
    ),
    Op(
        "POST",
        "/api/v1/quality/training/courses/{course_id}/sessions",
        "TRN-1 ORG-3",
        unit_perm("training.manage"),
        family="course",
        sees=COURSE_SEES,
        body=lambda c: {"starts_at": (clock.now() + timedelta(days=7)).isoformat(), "place": "矩阵培训室"},
    ),
    Op(
        "POST",
        "/api/v1/quality/training/courses/{course_id}/attempts",
        "TRN-1",
        person("enrolled"),
        family="course",
        kind="personal",
        sees=COURSE_SEES,
        body=_exam_answers,
    ),
    Op(
        "POST",
        "/api/v1/quality/training/onboardings",
        "TRN-1 ORG-3",
        unit_perm("training.manage"),
        family="employee",
        body=lambda c: {"employee_id": c.tid},
    ),
    # ---- emergency resources (RES-1), weather bulletin (WX-1), fee quotes (FEE-1), issue 17 -------------
    Op(
        "POST",
        "/api/v1/emergency/resources",
        "RES-1 ORG-3",
        unit_perm("resources.manage"),
        body=lambda c: {
            "unit_id": c.id(f"unit:{c.target.unit}"),
            "kind": "phone",
            "name": "矩阵应急电话",
            "location": "前台",
            "quantity": 1,
            "custodian_id": c.pk(c.user),
            "inspect_every_days": 30,
        },
    ),
    Op(
        "POST",
        "/api/v1/emergency/resources/{resource_id}/inspections",
        "RES-1 ORG-3",
        either(owner, unit_perm("resources.manage")),
        family="resource",
        sees=RESOURCE_SEES,
        body=lambda c: {"result": "ok", "note": "矩阵检查"},
    ),
    Op(
        "POST",
        "/api/v1/emergency/resources/{resource_id}/movements",
        "RES-1 ORG-3",
        either(owner, unit_perm("resources.manage")),
        family="resource",
        sees=RESOURCE_SEES,
        body=lambda c: {"kind": "issue", "amount": 1, "note": "矩阵出库"},
    ),
    Op(
        "POST",
        "/api/v1/emergency/weather/forecasts",
        "WX-1 ORG-3",
        unit_perm("weather.publish"),
        body=lambda c: {
            "unit_id": c.id(f"unit:{c.target.unit}"),
            "locality": "矩阵市",
            "day": clock.today().isoformat(),
            "weather": "晴",
            "temp_low": 5,
            "temp_high": 15,
        },
    ),
    Op(
        "POST",
        "/api/v1/emergency/weather/forecasts/import",
        "WX-1 ORG-3",
        unit_perm("weather.publish"),
        multipart=_forecast_file,
    ),
    Op(
        "POST",
        "/api/v1/emergency/weather/bulletins/{bulletin_id}/publish",
        "WX-1 ORG-3",
        unit_perm("weather.publish"),
        family="bulletin",
        sees=either(unit_perm("weather.view"), unit_perm("weather.publish")),
        body=lambda c: {"note": "矩阵提醒"},
    ),
    Op(
        "POST", "/api/v1/emergency/fees/price", "FEE-1", held("fees.quote"), body=lambda c: {"headcount": 120}
    ),
    Op(
        "POST",
        "/api/v1/emergency/fees/quotes",
        "FEE-1 ORG-3",
        unit_perm("fees.quote"),
        body=lambda c: {
            "unit_id": c.id(f"unit:{c.target.unit}"),
            "client": "矩阵客户",
            "headcount": 120,
            "drill": 1,
        },
    ),
    # ---- outsourced vendor filings (VEN-1), issue 18 ------------------------------------------------------
    Op(
        "POST",
        "/api/v1/vendors/filings",
        "VEN-1 ORG-3",
        unit_perm("vendors.manage"),
        target=_vendor_side,
        body=lambda c: {
            "unit_id": c.id(f"unit:{c.target.unit}"),
            "name": "矩阵外包客服有限公司",
            "credit_code": "91330100MA2MATRX0" + _credit_check("91330100MA2MATRX0"),
            "registered_capital": "1000000.00",
            "contact_name": "矩阵联系人",
            "contact_phone": "13900000000",
        },
    ),
    Op(
        "POST",
        "/api/v1/vendors/filings/{filing_id}/materials",
        "VEN-1 ORG-3",
        unit_perm("vendors.manage"),
        family="vendor_draft",
        sees=VENDOR_SEES,
        multipart=_vendor_material,
    ),
    Op(
        "POST",
        "/api/v1/vendors/filings/{filing_id}/submit",
        "VEN-1 ORG-3",
        unit_perm("vendors.manage"),
        family="vendor_draft",
        sees=VENDOR_SEES,
        body=lambda c: {},
    ),
    Op(
        "POST",
        "/api/v1/vendors/filings/{filing_id}/supplements",
        "VEN-1 ORG-3",
        unit_perm("vendors.review"),
        family="vendor_submitted",
        sees=VENDOR_SEES,
        body=lambda c: {"reason": "矩阵补充", "kinds": ["credit"]},
    ),
    Op(
        "POST",
        "/api/v1/vendors/filings/{filing_id}/supplements/answer",
        "VEN-1 ORG-3",
        unit_perm("vendors.manage"),
        family="vendor_supplement",
        sees=VENDOR_SEES,
        body=lambda c: {"note": "矩阵补充说明"},
    ),
    Op(
        "POST",
        "/api/v1/vendors/filings/{filing_id}/approve",
        "VEN-1 ORG-3",
        unit_perm("vendors.review"),
        family="vendor_submitted",
        sees=VENDOR_SEES,
        body=lambda c: {"note": "矩阵同意"},
    ),
    Op(
        "POST",
        "/api/v1/vendors/filings/{filing_id}/reject",
        "VEN-1 ORG-3",
        unit_perm("vendors.review"),
        family="vendor_submitted",
        sees=VENDOR_SEES,
        body=lambda c: {"reason": "矩阵驳回"},
    ),
    Op(
        "POST",
        "/api/v1/vendors/filings/{filing_id}/reports",
        "VEN-1 ORG-3",
        unit_perm("vendors.manage"),
        family="vendor_approved",
        sees=VENDOR_SEES,
        body=lambda c: {"summary": "矩阵经营情况", "revenue": "100.00", "staff_count": 3},
    ),
    Op(
        "POST",
        "/api/v1/vendors/filings/{filing_id}/late-report/review",
        "VEN-1 ORG-3",
        unit_perm("vendors.review"),
        family="vendor_lapsed",
        sees=VENDOR_SEES,
        body=lambda c: {"reinstate": True, "note": "矩阵恢复"},
    ),
    Op(
        "POST",
        "/api/v1/vendors/filings/{filing_id}/inspections",
        "VEN-1 ORG-3",
        unit_perm("vendors.review"),
        family="vendor_approved",
        sees=VENDOR_SEES,
        body=lambda c: {"result": "passed", "note": ""},
    ),
    # ---- appraisal (APR-1, DIS-1), issue 16 ----------------------------------------------------------------
    Op(
        "POST",
        "/api/v1/quality/appraisals/schemes",
        "APR-1 ORG-3",
        unit_perm("appraisal.manage"),
        family="subsidiary",
        body=lambda c: {
            "unit_id": c.tid,
            "period_kind": "month",
            "name": "矩阵考核方案",
            "items": [{"kind": "manual", "name": "工作态度", "weight": 100}],
        },
    ),
    Op(
        "POST",
        "/api/v1/quality/appraisals/rounds",
        "APR-1 ORG-3",
        unit_perm("appraisal.manage"),
        family="department",
        body=lambda c: {"unit_id": c.tid, "period_kind": "month"},
    ),
    Op(
        "POST",
        "/api/v1/quality/appraisals/rounds/{round_id}/scores",
        "APR-1 ORG-3",
        unit_perm("appraisal.manage"),
        family="appraisal_round",
        body=lambda c: {
            "result_id": c.id(f"{c.target.key}:result"),
            "item_id": c.id(f"{c.target.key}:item"),
            "points": 75,
        },
    ),
    Op(
        "POST",
        "/api/v1/quality/appraisals/rounds/{round_id}/publish",
        "APR-1 DIS-1 ORG-3",
        unit_perm("appraisal.manage"),
        family="appraisal_round",
    ),
    Op(
        "POST",
        "/api/v1/quality/appraisals/coaching/{plan_id}/notes",
        "APR-1 ORG-3",
        either(person("coach"), unit_perm("appraisal.manage")),
        family="coaching_plan",
        body=lambda c: {"text": "矩阵辅导记录"},
    ),
    # RPT-1 work reports: one's own report, opened, edited and submitted by its author
    Op("POST", "/api/v1/insights/reports", "RPT-1", held("report.submit"), body=lambda c: {}),
    Op(
        "PATCH",
        "/api/v1/insights/reports/{report_id}",
        "RPT-1 ORG-3",
        owner,
        family="work_report",
        body=lambda c: {"work": "矩阵日报"},
    ),
    Op(
        "POST",
        "/api/v1/insights/reports/{report_id}/submit",
        "RPT-1 ORG-3",
        owner,
        family="work_report",
        body=lambda c: {"work": "矩阵日报"},
    ),
    # RPT-1 the monthly service report of a department (report.manage there)
    Op(
        "POST",
        "/api/v1/insights/reports/service",
        "RPT-1 ORG-3",
        unit_perm("report.manage"),
        family="department",
        body=lambda c: {"unit_id": c.tid, "month": str(_two_months_back())},
    ),
    Op(
        "PATCH",
        "/api/v1/insights/reports/service/{report_id}",
        "RPT-1 ORG-3",
        unit_perm("report.manage"),
        family="service_report",
        body=lambda c: {"summary": "矩阵概述"},
    ),
    Op(
        "POST",
        "/api/v1/insights/reports/service/{report_id}/sign",
        "RPT-1 ORG-3",
        unit_perm("report.manage"),
        family="service_report",
    ),
    Op(
        "POST",
        "/api/v1/insights/reports/service/{report_id}/items",
        "RPT-1 ORG-3",
        unit_perm("report.manage"),
        family="service_report",
        body=lambda c: {
            "problem": "矩阵整改",
            "owner_id": c.pk("lina" if c.target.unit == "realty-cs" else "lvxin"),
            "due_on": str(clock.today() + timedelta(days=10)),
        },
    ),
    Op(
        "POST",
        "/api/v1/insights/reports/service/items/{item_id}/advance",
        "RPT-1 ORG-3",
        either(owner, unit_perm("report.manage")),
        family="rectification",
        body=lambda c: {"to": "done"},
    ),
    # ---- emergency plans, bodies and levels (EMG-1, EMG-2, EMG-3, EMG-6), issue 17 ----------------------------
    Op(
        "POST",
        "/api/v1/emergency/plans",
        "EMG-1 ORG-3",
        unit_perm("emergency.plan.manage"),
        body=lambda c: {
            "unit_id": c.id(f"unit:{c.target.unit}"),
            "plan_type": "fire",
            "title": "矩阵预案",
            "effective_on": clock.today().isoformat(),
            "confidentiality": "secret",
            "full_text": "矩阵全文",
            "reader_roles": ["cs_manager"],
            "runbook": "矩阵处置卡",
            "steps": [{"text": "矩阵步骤", "slot": "command.director"}],
        },
    ),
    Op(
        "POST",
        "/api/v1/emergency/plans/from-template",
        "EMG-6 ORG-3",
        unit_perm("emergency.plan.manage"),
        body=lambda c: {"unit_id": c.id(f"unit:{c.target.unit}"), "plan_type": "data_leak"},
    ),
    Op(
        "POST",
        "/api/v1/emergency/plans/{plan_id}/versions",
        "EMG-1 ORG-3",
        unit_perm("emergency.plan.manage"),
        family="emergency_plan",
        sees=EMERGENCY_PLAN_SEES,
        body=lambda c: {"effective_on": clock.today().isoformat(), "note": "矩阵新版"},
    ),
    Op(
        "POST",
        "/api/v1/emergency/plans/versions/{version_id}/acknowledge",
        "EMG-1",
        emergency_recipient,
        family="emergency_plan",
        kind="personal",
        sees=EMERGENCY_PLAN_SEES,
        path_key=lambda t: f"{t.key}:version",
    ),
    Op(
        "POST",
        "/api/v1/emergency/plans/{plan_id}/revisions",
        "EMG-1 ORG-3",
        unit_perm("emergency.plan.manage"),
        family="emergency_plan",
        sees=EMERGENCY_PLAN_SEES,
        body=lambda c: {
            "description": "矩阵修订",
            "owner_id": c.pk("lina" if c.target.subsidiary == REALTY else "lvxin"),
            "due_on": (clock.today() + timedelta(days=30)).isoformat(),
        },
    ),
    Op(
        "POST",
        "/api/v1/emergency/bodies",
        "EMG-2 ORG-3",
        unit_perm("emergency.body.manage"),
        body=lambda c: {"unit_id": c.id(f"unit:{c.target.unit}"), "kind": "liaison"},
    ),
    Op(
        "PUT",
        "/api/v1/emergency/slots/{slot_id}",
        "EMG-2 ORG-3",
        unit_perm("emergency.body.manage"),
        family="emergency_slot",
        sees=either(
            unit_perm("emergency.view"),
            unit_perm("emergency.body.manage"),
            unit_perm("emergency.plan.manage"),
        ),
        body=lambda c: {"holder_id": c.pk("lina" if c.target.subsidiary == REALTY else "lvxin")},
    ),
    Op(
        "PUT",
        "/api/v1/emergency/levels",
        "EMG-3 ORG-3",
        emergency_levels,
        body=lambda c: {
            "unit_id": c.id(f"unit:{c.target.unit}"),
            "levels": [{"code": "A", "name": "矩阵级别"}],
        },
    ),
    # ---- emergency drills (DRL-1), issue 17 --------------------------------------------------------------
    Op(
        "POST",
        "/api/v1/emergency/drills",
        "DRL-1 ORG-3",
        unit_perm("emergency.plan.manage"),
        family="emergency_plan",
        sees=EMERGENCY_PLAN_SEES,
        body=lambda c: {
            "plan_id": c.tid,
            "scheduled_for": (clock.now() + timedelta(days=5)).isoformat(),
            "scenario": "矩阵演练",
            "place": "前台",
            "organiser_id": c.pk("lina" if c.target.subsidiary == REALTY else "lvxin"),
        },
    ),
    Op(
        "POST",
        "/api/v1/emergency/drills/{drill_id}/reschedule",
        "DRL-1 ORG-3",
        unit_perm("emergency.plan.manage"),
        family="drill",
        sees=DRILL_SEES,
        body=lambda c: {"scheduled_for": (clock.now() + timedelta(days=6)).isoformat()},
    ),
    Op(
        "POST",
        "/api/v1/emergency/drills/{drill_id}/cancel",
        "DRL-1 ORG-3",
        unit_perm("emergency.plan.manage"),
        family="drill",
        sees=DRILL_SEES,
        body=lambda c: {"reason": "矩阵取消"},
    ),
    Op(
        "POST",
        "/api/v1/emergency/drills/{drill_id}/held",
        "DRL-1 ORG-3",
        unit_perm("emergency.plan.manage"),
        family="drill",
        sees=DRILL_SEES,
        body=lambda c: {
            "held_at": (clock.now() - timedelta(minutes=30)).isoformat(),
            "summary": "矩阵实施",
            "participants": [{"employee_id": c.pk("lina" if c.target.subsidiary == REALTY else "lvxin")}],
        },
    ),
    Op(
        "POST",
        "/api/v1/emergency/drills/{drill_id}/evaluation",
        "DRL-1 ORG-3",
        unit_perm("emergency.plan.manage"),
        family="drill",
        sees=DRILL_SEES,
        path_key=lambda t: f"{t.key}:held",
        body=lambda c: {"score": 80, "grade": "good", "evaluation": "矩阵评估"},
    ),
    Op(
        "POST",
        "/api/v1/emergency/drills/{drill_id}/actions",
        "DRL-1 ORG-3",
        unit_perm("emergency.plan.manage"),
        family="drill",
        sees=DRILL_SEES,
        path_key=lambda t: f"{t.key}:held",
        body=lambda c: {
            "text": "矩阵整改",
            "owner_id": c.pk("lina" if c.target.subsidiary == REALTY else "lvxin"),
            "due_on": (clock.today() + timedelta(days=10)).isoformat(),
        },
    ),
    Op(
        "POST",
        "/api/v1/emergency/drills/actions/{action_id}/close",
        "DRL-1 ORG-3",
        unit_perm("emergency.plan.manage"),
        family="drill",
        sees=DRILL_SEES,
        path_key=lambda t: f"{t.key}:action",
        body=lambda c: {"note": "矩阵关闭"},
    ),
    Op(  # EMG-5: the command centre acknowledges a complaint-surge alert of its subsidiary
        "POST",
        "/api/v1/emergency/surges/{surge_id}/acknowledge",
        "EMG-5 ORG-3",
        unit_perm("emergency.command"),
        family="surge",
        sees=unit_perm("emergency.command"),
        body=lambda c: {},
    ),
    # ---- incidents (EMG-4, EMG-5), issue 17 -------------------------------------------------------------
    Op(
        "POST",
        "/api/v1/emergency/incidents",
        "EMG-5 ORG-3",
        incident_reporter,
        sees=anyone,
        body=lambda c: {
            "unit_id": c.id(f"unit:{c.target.unit}"),
            "plan_type": "fire",
            "title": "矩阵报告",
            "occurred_at": (clock.now() - timedelta(minutes=3)).isoformat(),
        },
    ),
    Op(
        "POST",
        "/api/v1/emergency/incidents/from-case",
        "EMG-5 ORG-3",
        perm("case.handle"),
        family="case",
        body=lambda c: {"case_id": c.tid, "plan_type": "fire"},
    ),
    *[
        Op(
            "POST",
            f"/api/v1/emergency/incidents/{{incident_id}}/{step}",
            "EMG-4 ORG-3",
            unit_perm("emergency.command"),
            family="incident",
            sees=INCIDENT_SEES,
            body=body,
        )
        for step, body in (
            ("triage", lambda c: {"plan_type": "fire"}),
            ("resources", lambda c: {"resource_id": c.id(f"resource:{c.target.subsidiary}"), "quantity": 1}),
            ("changes", lambda c: {"kind": "channel", "text": "矩阵热线语音提示"}),
            ("recovery", lambda c: {"recovery_report": "矩阵恢复", "impact": "轻微"}),
            ("review", lambda c: {"cause": "矩阵", "prevention": "矩阵", "lessons": "矩阵"}),
            ("archive", lambda c: {}),
            ("acknowledge", lambda c: {}),
        )
    ],
    *[
        Op(
            "POST",
            f"/api/v1/emergency/incidents/{{incident_id}}/{step}",
            "EMG-3 EMG-4",
            incident_director,
            family="incident",
            sees=INCIDENT_SEES,
            body=body,
        )
        for step, body in (
            ("activate", lambda c: {}),
            ("level", lambda c: {"level": "II"}),
            ("notices", lambda c: {"audience": "customers", "text": "矩阵公告"}),
            ("lift", lambda c: {}),
        )
    ],
    Op(
        "POST",
        "/api/v1/emergency/incidents/{incident_id}/photos",
        "EMG-4 ORG-3 SEC-1",
        both(incident_reporter, INCIDENT_SEES),  # who may report at the unit and sees it, or the centre
        family="incident",
        sees=INCIDENT_SEES,
        multipart=_photo_file,
    ),
    Op(
        "POST",
        "/api/v1/emergency/incidents/tasks/{task_id}",
        "EMG-4 ORG-3",
        either(unit_perm("emergency.command"), person("assignee")),
        family="incident_task",
        sees=INCIDENT_TASK_SEES,
        body=lambda c: {"done": True},
    ),
    Op(
        "POST",
        "/api/v1/emergency/incidents/tasks/{task_id}/assign",
        "EMG-4 ORG-3",
        unit_perm("emergency.command"),
        family="incident_task",
        sees=INCIDENT_TASK_SEES,
        body=lambda c: {"assignee_id": c.pk("zhaomin" if c.target.subsidiary == REALTY else "lvxin")},
    ),
    # ---- documents (DOC-1), issue 18 ------------------------------------------------------------------
    Op(
        "POST",
        "/api/v1/documents/policies",
        "DOC-1 ORG-3",
        unit_perm("documents.manage"),
        body=lambda c: {
            "unit_id": c.id(f"unit:{c.target.unit}"),
            "title": "矩阵新制度",
            "body": "第一条 矩阵。",
            "effective_on": clock.today().isoformat(),
        },
    ),
    Op(
        "POST",
        "/api/v1/documents/policies/{policy_id}/versions",
        "DOC-1 ORG-3",
        unit_perm("documents.manage"),
        family="policy",
        sees=POLICY_SEES,
        body=lambda c: {"effective_on": clock.today().isoformat(), "note": "矩阵新版"},
    ),
    Op(
        "POST",
        "/api/v1/documents/policies/versions/{version_id}/acknowledge",
        "DOC-1",
        policy_recipient,
        family="policy",
        kind="personal",
        sees=POLICY_SEES,
        path_key=lambda t: f"{t.key}:version",
    ),
    Op(
        "POST",
        "/api/v1/documents/notices",
        "DOC-1 ORG-3",
        unit_perm("documents.manage"),
        body=lambda c: {
            "unit_id": c.id(f"unit:{c.target.unit}"),
            "kind": "notice",
            "title": "矩阵通知",
            "body": "矩阵正文",
        },
    ),
    Op(
        "POST",
        "/api/v1/documents/plans",
        "DOC-1 ORG-3",
        unit_perm("documents.manage"),
        body=lambda c: {
            "unit_id": c.id(f"unit:{c.target.unit}"),
            "kind": "work",
            "year": clock.today().year,
            "title": "矩阵新计划",
        },
    ),
    Op(
        "POST",
        "/api/v1/documents/plans/{plan_id}/items",
        "DOC-1 ORG-3",
        unit_perm("documents.manage"),
        family="workplan",
        sees=DOCUMENTS_SEES,
        body=lambda c: {
            "text": "矩阵新事项",
            "owner_id": c.pk("lina" if c.target.subsidiary == REALTY else "lvxin"),
            "due_on": (clock.today() + timedelta(days=20)).isoformat(),
        },
    ),
    Op(
        "POST",
        "/api/v1/documents/plans/items/{item_id}/progress",
        "DOC-1 ORG-3",
        either(unit_perm("documents.manage"), owner),
        family="workplan",
        sees=DOCUMENTS_SEES,
        path_key=lambda t: f"{t.key}:item",
        body=lambda c: {"percent": 50, "status": "in_progress", "note": "矩阵进度"},
    ),
    Op(
        "POST",
        "/api/v1/documents/suggestions",
        "DOC-1",
        anyone,
        kind="personal",
        body=lambda c: {"title": "矩阵建议", "body": "矩阵内容"},
    ),
    Op(
        "POST",
        "/api/v1/documents/suggestions/{suggestion_id}/review",
        "DOC-1 ORG-3",
        unit_perm("documents.manage"),
        family="suggestion",
        sees=DOCUMENTS_SEES,
        body=lambda c: {"accept": False, "reason": "矩阵理由"},
    ),
    Op(
        "POST",
        "/api/v1/documents/suggestions/{suggestion_id}/implement",
        "DOC-1 ORG-3",
        unit_perm("documents.manage"),
        family="suggestion_accepted",
        sees=DOCUMENTS_SEES,
        body=lambda c: {"implementation": "矩阵实施"},
    ),
    # ---- the catalogue (PRC-1) and orders (ORD-1), issue 18 ------------------------------------------------
    Op(
        "POST",
        "/api/v1/catalogue/proposals",
        "PRC-1 ORG-3",
        unit_perm("catalogue.propose"),
        family="catalogue_item",
        body=lambda c: {
            "kind": "price",
            "item_id": c.tid,
            "price": "110.00",
            "effective_on": str(clock.today() + timedelta(days=3)),
            "reason": "矩阵调价",
        },
    ),
    Op(
        "POST",
        "/api/v1/catalogue/proposals/{version_id}/approve",
        "PRC-1 ORG-3",
        unit_perm("catalogue.approve"),
        family="catalogue_proposal",
        body=lambda c: {"note": "矩阵批准"},
    ),
    Op(
        "POST",
        "/api/v1/catalogue/proposals/{version_id}/reject",
        "PRC-1 ORG-3",
        unit_perm("catalogue.approve"),
        family="catalogue_proposal",
        body=lambda c: {"note": "矩阵驳回"},
    ),
    Op(
        "POST",
        "/api/v1/catalogue/cases/{case_id}/charges",
        "PRC-1 ORG-3",
        perm("case.handle"),
        family="case",
        body=lambda c: {"item_id": c.id(f"catalogue_item:{c.target.subsidiary}"), "quantity": 1},
    ),
    Op(
        "POST",
        "/api/v1/orders",
        "ORD-1 ORG-3",
        both(perm("customer.view"), rule(_takes_orders, ["order.create"])),
        family="customer",
        body=lambda c: {
            "customer_id": c.tid,
            "lines": [{"item_id": c.id(f"catalogue_item:{c.target.subsidiary}"), "quantity": 1}],
        },
    ),
    Op(
        "POST",
        "/api/v1/orders/{order_id}/confirm",
        "ORD-1 ORG-3",
        perm("order.create"),
        family="order_new",
        body=lambda c: {"payment_method": "cash"},
    ),
    Op(
        "POST",
        "/api/v1/orders/{order_id}/cancel",
        "ORD-1 ORG-3",
        perm("order.create"),
        family="order_new",
        body=lambda c: {"reason": "矩阵取消"},
    ),
    Op(
        "POST",
        "/api/v1/orders/{order_id}/release",
        "ORD-1 ORG-3",
        unit_perm("order.release"),
        family="order_confirmed",
        body=lambda c: {"paid": "100.00"},
    ),
    Op(
        "POST",
        "/api/v1/orders/{order_id}/ship",
        "ORD-1 FUP-1 ORG-3",
        both(perm("order.ship"), unit_perm("revisit.handle")),
        family="order_released",
        body=lambda c: {"carrier": "矩阵物流", "carrier_phone": "13900008888"},
    ),
    Op(
        "POST",
        "/api/v1/orders/{order_id}/returns",
        "ORD-1 ORG-3",
        unit_perm("order.return"),
        family="order_shipped",
        body=lambda c: {"kind": "return", "reason": "矩阵退货", "refund": "50.00"},
    ),
    Op(
        "PUT",
        "/api/v1/orders/stock/{item_id}",
        "ORD-1 ORG-3",
        unit_perm("order.stock"),
        family="catalogue_item",
        body=lambda c: {"on_hand": 7},
    ),
]
