"""Intake and the closed loop of service cases: receipt (CASE-1, CASE-2), the declared transitions
(CASE-3), the customer's identity and the status secret.

Routing, transfers and escalation are in `routing.py`; complaint closure, compensation and
staff-caused complaints in `complaints.py`; cross-department 报备 in `handoffs.py`; notes, replies
and the customer's own words are building blocks (`blocks.py`).
"""

import hashlib
import math
import secrets
from datetime import date

from django.db import IntegrityError, transaction

from kefu.cases import sla, triggers
from kefu.cases.actions import blocks, complaints, routing, workload
from kefu.cases.lifecycle import CASE
from kefu.cases.models import (
    Case,
    CaseKind,
    CaseState,
    Channel,
    Family,
    IdempotencyKey,
    Priority,
    SatisfactionSource,
)
from kefu.cases.queries import intake as case_queries
from kefu.core import audit, clock, decisions, keys
from kefu.core.actor import Actor
from kefu.core.crypto import blind_index, normalise_phone
from kefu.core.errors import Invalid, NotFound, PermissionDenied
from kefu.core.scopes import may_place
from kefu.customers.queries.archive import find_by_phone, may_view
from kefu.engine.workflow import api as workflow
from kefu.followups.actions import survey_links
from kefu.followups.actions import tasks as revisits
from kefu.org import access
from kefu.org.models import Unit


def _extra(kind: CaseKind, values: dict | None) -> dict:
    """Check the kind's own fields (CASE-1: kinds and their fields are configurable)."""
    values = dict(values or {})
    declared = {f["name"]: f for f in kind.fields or []}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        raise Invalid(
            "case_extra_unknown",
            f"「{kind.name}」没有这些字段：{', '.join(unknown)}",
            f"“{kind.name}” has no fields {', '.join(unknown)}",
            {k: "unknown" for k in unknown},
        )
    clean = {}
    for name, spec in declared.items():
        value = values.get(name)
        if value in (None, ""):
            if spec.get("required"):
                raise Invalid(
                    "case_extra_required",
                    f"请填写「{spec.get('label', name)}」",
                    f"{spec.get('label', name)} is required",
                    {name: "required"},
                )
            continue
        clean[name] = _field_value(spec, name, value)
    return clean


def _field_value(spec: dict, name: str, value):
    """One value of a kind's own field, by its declared type: a finite number, an ISO date, one of the
    choices, or text."""
    label = spec.get("label", name)

    def refuse(zh: str, en: str, why: str):
        return Invalid("case_extra_invalid", f"「{label}」{zh}", f"{name} {en}", {name: why})

    kind = spec.get("type")
    if kind == "number":
        try:
            number = float(str(value).strip()) if not isinstance(value, bool) else None
        except ValueError:
            number = None
        if number is None or not math.isfinite(number):
            raise refuse("须为数字", "must be a number", "number")
        return number
    if kind == "date":
        try:
            return date.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            raise refuse("须为日期（YYYY-MM-DD）", "must be a date (YYYY-MM-DD)", "date") from None
    if kind == "choice":
        if value not in spec.get("choices", []):
            raise refuse("取值无效", "has an invalid value", "choice")
        return value
    return blocks.text(str(value), name, limit=2000, label=label)


def _contact(contact: dict | None) -> dict:
    contact = dict(contact or {})
    name = blocks.text(contact.get("name"), "contact.name", limit=100)
    phone = blocks.text(contact.get("phone"), "contact.phone", limit=30)
    email = blocks.text(contact.get("email"), "contact.email", limit=254).lower()
    if phone and not normalise_phone(phone).isdigit():
        raise Invalid("case_phone_invalid", "手机号格式无效", "Invalid phone number", {"phone": "invalid"})
    if email and ("@" not in email or " " in email):
        raise Invalid("case_email_invalid", "邮箱格式无效", "Invalid e-mail address", {"email": "invalid"})
    return {"name": name, "phone": phone, "email": email}


def _idempotent(scope: str, key: str) -> Case | None:
    found = IdempotencyKey.objects.filter(scope=scope, key=key).select_related("case").first()
    return found.case if found else None


def _require_receiving(actor: Actor, unit: Unit, customer) -> None:
    """Issue 10 / ORG-3: a person receives a case only at a unit of their case.handle scope — an "own"
    scope at their own unit (or below) — and names only a customer they may see. Otherwise 404, as
    for a unit or customer that does not exist."""
    me = access.employee_of(actor.principal)
    if not may_place(access.grants(actor, "case.handle"), unit.path, me.pk if me else None):
        raise NotFound("组织", "unit")
    if customer is not None and not may_view(actor, customer):
        raise NotFound("客户", "customer")


def _archive_name(actor: Actor, customer, public: bool) -> str:
    """The contact name taken from the matched archive record — only for a receiver who may see it."""
    if customer is None or public or not may_view(actor, customer):
        return ""
    return customer.name


def create_case(
    actor: Actor,
    *,
    unit: Unit,
    kind: str,
    channel: str,
    title: str,
    description: str = "",
    priority: str = Priority.NORMAL,
    customer=None,
    contact: dict | None = None,
    extra: dict | None = None,
    major: bool = False,
    identity_verified: bool = False,
    idempotency_key: str = "",
    idempotency_scope: str = "",
    public: bool = False,
    own_form: bool = False,
) -> tuple[Case, bool]:
    """Receive a case "immediately" (CASE-3 立即记录): numbered, routed, its clocks started.

    `own_form`: called by the action of a kind with a form of its own (HRD-1), which writes its record
    in the same transaction; any other caller is refused such a kind.

    Returns (case, created). With an idempotency key, a repeated request returns the first case
    and created=False; the database's unique key settles two identical requests racing.
    """
    if not public and not access.can(actor, "case.handle"):
        raise PermissionDenied(
            "您没有受理工单的权限", "You may not receive cases", code="case_create_forbidden"
        )
    if not public:
        _require_receiving(actor, unit, customer)
    key = blocks.text(idempotency_key, "Idempotency-Key", limit=200)
    if key:
        earlier = _idempotent(idempotency_scope, key)
        if earlier is not None:
            return earlier, False
    case_kind = case_queries.kind_for(unit, blocks.text(kind, "kind", required=True, limit=50))
    if case_kind.code in case_queries.OWN_FORM_KINDS and not own_form:
        raise case_queries.own_form_refusal(case_kind.code)
    contact = _contact(contact)
    if customer is None and contact["phone"]:
        # issue 10: only the receiving subsidiary's archive; shown only to readers who may see it
        customer = find_by_phone(contact["phone"], within=unit)
    now = clock.now()
    case = Case(
        number="",
        kind=case_kind,
        family=case_kind.family,
        channel=blocks.choice(channel, Channel, "channel"),
        priority=blocks.choice(priority or Priority.NORMAL, Priority, "priority"),
        title=blocks.text(title, "title", required=True, limit=blocks.TITLE_MAX),
        description=blocks.text(description, "description"),
        extra=_extra(case_kind, extra),
        customer=customer,
        contact_name=contact["name"] or _archive_name(actor, customer, public),
        contact_phone=contact["phone"],
        contact_phone_index=blind_index(contact["phone"]) if contact["phone"] else "",
        contact_email=contact["email"],
        contact_email_index=blind_index(contact["email"], kind="email") if contact["email"] else "",
        identity_verified=bool(identity_verified) and not public,
        identity_verified_at=now if identity_verified and not public else None,
        major=bool(major),
        unit=unit,
        created_by=actor.user,
        received_at=now,
        updated_at=now,
        calendar=_calendar_for(case_kind),
    )
    try:
        with transaction.atomic():
            # the case is written once — numbered, with its clocks' earliest deadline, group and
            # owner — by the route transition's save, or below when nobody takes it (issue 11)
            case.pk = keys.next_id(Case)
            case.number = f"KF-{local_day(now)}-{case.pk:06d}"
            if key:
                IdempotencyKey.objects.create(scope=idempotency_scope, key=key, case=case, created_at=now)
            audit.record(actor, "cases.create", case, after=_snapshot(case))
            with decisions.batch() as made:  # the SLA, routing, trigger and CASE-7 decisions
                clocks = _start_clocks(case, fresh=True)
                case.next_due_at = min(t.due_at for t in clocks)
                routing.route_new(actor, case)
                if case._state.adding:  # not routed: nothing saved the case yet
                    case.save(force_insert=True)
                triggers.on_receipt(actor, case)
                complaints.detect_recurrence(case)  # CASE-7
            # the answer is built from these, not read back (issue 11)
            case.intake_clocks, case.intake_decisions = clocks, made
    except IntegrityError:
        earlier = _idempotent(idempotency_scope, key) if key else None
        if earlier is None:
            raise
        return earlier, False
    return case, True


def local_day(at) -> str:
    """The day of `at` in the service centre's time zone (settings.TIME_ZONE), for case numbers."""
    return clock.local(at).strftime("%Y%m%d")


def _calendar_for(kind: CaseKind) -> str:
    """24-hour lines (rescue) run on the 24×7 calendar; the rest on office hours (CAL-1)."""
    return "24x7" if kind.family == Family.RESCUE else "office"


def _snapshot(case: Case) -> dict:
    return {
        "number": case.number,
        "kind": case.kind.code,
        "channel": case.channel,
        "priority": case.priority,
        "title": case.title,
        "customer": case.customer_id,
        "unit": case.unit_id,
    }


def _start_clocks(case: Case, *, fresh: bool = False) -> list:
    names = ["first_response", "resolution"]
    if case.major and case.family in (Family.COMPLAINT, Family.REPAIR):
        names.append("onsite")  # SLA-1: a major quality problem is solved on site within 24 h
        names.append("quality_notice")  # SLA-1: and the office supervisor is told within 30 min
    if fresh:
        return sla.start_fresh(case, names)
    return [sla.start(case, name) for name in names]


# transitions whose completion is itself an answer to the customer
RESPONDING = {"accept", "answer", "wait", "inform"}


def act(actor: Actor, case: Case, name: str, *, data: dict | None = None, reason: str = "") -> Case:
    """Make the declared transition `name` (CASE-3) and keep the case's own facts in step."""
    data = {k: v for k, v in (data or {}).items()}
    for field in ("solution", "customer_reply", "root_cause", "corrective_action", "category", "product"):
        if field in data:
            data[field] = blocks.text(data[field], field)
    if "priority" in data:
        data["priority"] = blocks.choice(data["priority"], Priority, "priority")
    if name == "reopen" and not (reason or "").strip():
        raise Invalid(
            "case_reopen_reason",
            "重新处理须说明客户不满意的原因（CASE-3）",
            "Say why the customer is not satisfied to reopen (CASE-3)",
            {"reason": "required"},
        )
    _satisfaction(data)
    move, given_owner = CASE.transition(name), case.owner_id
    with transaction.atomic():
        case = workflow.transition(actor, case, name, reason=reason, data=data)
        # ROUTE-1 counts: a transition's source states are all open or all not (test_workload.py);
        # only `route` names an owner
        was_open = workload.is_open(move.source[0])
        before_owner = given_owner if name == "route" else case.owner_id
        workload.moved(before_owner, was_open, case.owner_id, workload.is_open(case.state))
        now = clock.now()
        updates = {"updated_at": now}
        if "satisfaction_source" in data:  # the customer's answer, as this person recorded it
            updates.update(satisfaction_at=now, satisfaction_by=actor.user)
        if name in RESPONDING:
            blocks.responded(case)
        if case.state == CaseState.INFORMED:
            updates["resolved_at"] = now
        elif case.state == CaseState.CLOSED:
            updates["closed_at"] = now
        elif name == "reopen":
            updates.update(
                reopen_count=case.reopen_count + 1,
                resolved_at=None,
                closed_at=None,
                satisfied=None,
                satisfaction_source="",
                satisfaction_at=None,
                satisfaction_by=None,
            )
            sla.start(case, "resolution")
        Case.objects.filter(pk=case.pk).update(**updates)
        for field, value in updates.items():
            setattr(case, field, value)
        if name == "classify":
            complaints.detect_recurrence(case)  # CASE-7: the category and product are known now
        blocks.refresh_due(case)
        if case.state == CaseState.CLOSED:
            survey_links.on_closed(actor, case)  # CSAT-1: the customer's survey link
        if case.state == CaseState.INFORMED and revisits.on_resolved(actor, case) is not None:
            case = act(actor, case, "revisit")  # FUP-1: the case waits in 回访中 for its revisit
    return case


# what staff may record as the customer's answer; the status page records its own (`public.rate`)
STAFF_SOURCES = (SatisfactionSource.REVISIT, SatisfactionSource.SURVEY, SatisfactionSource.UNREACHABLE)


def _satisfaction(data: dict) -> None:
    """CASE-3 (issue 13): `satisfied` given by staff is the customer's answer at a revisit (or in a
    survey: `satisfaction_source`); `satisfaction_source="unreachable"` records a revisit that reached
    nobody — it carries no answer and never counts as satisfied."""
    source = data.get("satisfaction_source")
    if source is None:
        if data.get("satisfied") is not None:
            data["satisfaction_source"] = SatisfactionSource.REVISIT
        return
    if source not in STAFF_SOURCES:
        allowed = ", ".join(STAFF_SOURCES)
        raise Invalid(
            "case_satisfaction_source_invalid",
            f"satisfaction_source 无效，可选：{allowed}",
            f"Invalid satisfaction_source; one of: {allowed}",
            {"satisfaction_source": "invalid"},
        )
    if source == SatisfactionSource.UNREACHABLE:
        if data.get("satisfied") is not None:
            raise Invalid(
                "case_satisfaction_unreachable",
                "回访无法联系时没有客户的回答，不能同时记录是否满意（CASE-3）",
                "An unreachable customer gave no answer: do not record satisfied with it (CASE-3)",
                {"satisfied": "invalid"},
            )
        data["satisfied"] = None
    elif data.get("satisfied") is None:
        raise Invalid(
            "case_satisfaction_required",
            "请记录客户的回答：满意或不满意（CASE-3）",
            "Record the customer's answer: satisfied or not (CASE-3)",
            {"satisfied": "required"},
        )


def new_public_secret(case: Case) -> str:
    """A fresh secret for the customer's status link (CASE-2); only its hash is stored."""
    secret = secrets.token_urlsafe(24)
    Case.objects.filter(pk=case.pk).update(public_secret_hash=hashlib.sha256(secret.encode()).hexdigest())
    return secret


def verify_identity(actor: Actor, case: Case) -> Case:
    """CASE-2 "先核实客户身份": the agent confirms who the customer is before handling."""
    if not access.record_in_scope(actor, "case.handle", unit=case.unit, owner_id=case.owner_id):
        raise PermissionDenied("您无权办理此工单", "You may not handle this case", code="case_forbidden")
    with transaction.atomic():
        now = clock.now()
        Case.objects.filter(pk=case.pk).update(
            identity_verified=True, identity_verified_at=now, updated_at=now
        )
        audit.record(actor, "cases.verify_identity", case, after={"identity_verified": True})
    case.identity_verified, case.identity_verified_at = True, now
    return case


SURVEY_SOURCES = (SatisfactionSource.SURVEY, SatisfactionSource.STATUS_PAGE)


def record_satisfaction(actor: Actor, case: Case, *, satisfied: bool, source: str) -> Case:
    """CSAT-1: the customer's answer to a satisfaction survey — by the link, on the status page or by
    phone — written on the case with its source, so the case says what the survey says. No
    transition: the caller (followups) reopens on 不满意 through `act`."""
    if source not in SURVEY_SOURCES:
        raise Invalid(
            "case_satisfaction_source_invalid",
            "satisfaction_source 无效",
            "Invalid satisfaction_source",
            {"satisfaction_source": "invalid"},
        )
    before = {"satisfied": case.satisfied, "satisfaction_source": case.satisfaction_source}
    now = clock.now()
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(
            satisfied=bool(satisfied),
            satisfaction_source=source,
            satisfaction_at=now,
            satisfaction_by=actor.user,
            updated_at=now,
        )
        audit.record(
            actor,
            "cases.satisfaction",
            case,
            before=before,
            after={"satisfied": bool(satisfied), "satisfaction_source": source},
        )
    case.satisfied, case.satisfaction_source, case.satisfaction_at = bool(satisfied), source, now
    case.satisfaction_by, case.updated_at = actor.user, now
    return case
