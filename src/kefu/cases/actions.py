"""State changes of service cases: intake (CASE-1, CASE-2), the closed loop (CASE-3) and replies.

Routing, transfers and escalation are in `actions_routing.py`; complaint closure, compensation and
staff-caused complaints in `actions_complaints.py`; cross-department 报备 in `actions_handoffs.py`.
"""

import hashlib
import math
import secrets
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from kefu.cases import sla, workload
from kefu.cases.lifecycle import CASE
from kefu.cases.models import (
    OPEN_STATES,
    Case,
    CaseKind,
    CaseState,
    Channel,
    Comment,
    Family,
    IdempotencyKey,
    Priority,
)
from kefu.core import audit, clock, decisions, keys, memo
from kefu.core.actor import Actor
from kefu.core.crypto import blind_index, normalise_phone
from kefu.core.errors import Invalid, NotFound, PermissionDenied
from kefu.core.scopes import may_place
from kefu.customers.queries import find_by_phone, may_view
from kefu.engine.workflow import actions as workflow
from kefu.engine.workflow.history import target_of
from kefu.engine.workflow.models import Timer, TimerState
from kefu.org import access
from kefu.org.models import Unit

TITLE_MAX = 200
TEXT_MAX = 20000
CLOCK_STATES = (TimerState.RUNNING, TimerState.PAUSED)


def _text(value, field: str, *, required: bool = False, limit: int = TEXT_MAX) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        raise Invalid("case_field_invalid", f"{field} 格式无效", f"{field} is not text", {field: "invalid"})
    if required and not text:
        raise Invalid("case_field_required", f"请填写 {field}", f"{field} is required", {field: "required"})
    if len(text) > limit:
        raise Invalid(
            "case_field_too_long",
            f"{field} 不能超过 {limit} 个字符",
            f"{field} may have at most {limit} characters",
            {field: "too_long"},
        )
    return text


def _choice(value, choices, field: str) -> str:
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise Invalid(
            f"case_{field}_invalid",
            f"{field} 无效，可选：{allowed}",
            f"Invalid {field}; one of: {allowed}",
            {field: "invalid"},
        )
    return value


def kind_for(unit: Unit, code: str) -> CaseKind:
    """The active kind `code` offered to `unit`: the nearest unit's own (a subsidiary's 报修 with its
    fields) before the kind shipped for everyone (CASE-1)."""
    ids = unit.ancestor_ids()
    by_unit = memo.shared(
        ("cases.kinds", code, tuple(ids)),
        lambda: {
            k.unit_id: k
            for k in CaseKind.objects.filter(
                Q(unit_id__in=ids) | Q(unit__isnull=True), code=code, active=True
            )
        },
    )
    for unit_id in [*reversed(ids), None]:
        if unit_id in by_unit:
            return by_unit[unit_id]
    raise Invalid(
        "case_kind_unknown",
        f"工单类型「{code}」不存在或未启用",
        f"Unknown or inactive case kind “{code}”",
        {"kind": "unknown"},
    )


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
    return _text(str(value), name, limit=2000)


def _contact(contact: dict | None) -> dict:
    contact = dict(contact or {})
    name = _text(contact.get("name"), "contact.name", limit=100)
    phone = _text(contact.get("phone"), "contact.phone", limit=30)
    email = _text(contact.get("email"), "contact.email", limit=254).lower()
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
) -> tuple[Case, bool]:
    """Receive a case "immediately" (CASE-3 立即记录): numbered, routed, its clocks started.

    Returns (case, created). With an idempotency key, a repeated request returns the first case
    and created=False; the database's unique key settles two identical requests racing.
    """
    if not public and not access.can(actor, "case.handle"):
        raise PermissionDenied(
            "您没有受理工单的权限", "You may not receive cases", code="case_create_forbidden"
        )
    if not public:
        _require_receiving(actor, unit, customer)
    key = _text(idempotency_key, "Idempotency-Key", limit=200)
    if key:
        earlier = _idempotent(idempotency_scope, key)
        if earlier is not None:
            return earlier, False
    case_kind = kind_for(unit, _text(kind, "kind", required=True, limit=50))
    contact = _contact(contact)
    if customer is None and contact["phone"]:
        # issue 10: only the receiving subsidiary's archive; shown only to readers who may see it
        customer = find_by_phone(contact["phone"], within=unit)
    now = clock.now()
    case = Case(
        number="",
        kind=case_kind,
        family=case_kind.family,
        channel=_choice(channel, Channel, "channel"),
        priority=_choice(priority or Priority.NORMAL, Priority, "priority"),
        title=_text(title, "title", required=True, limit=TITLE_MAX),
        description=_text(description, "description"),
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
                from kefu.cases import actions_routing

                actions_routing.route_new(actor, case)
                if case._state.adding:  # not routed: nothing saved the case yet
                    case.save(force_insert=True)
                from kefu.cases import triggers

                triggers.on_receipt(actor, case)
                from kefu.cases.actions_complaints import detect_recurrence

                detect_recurrence(case)  # CASE-7
            # the answer is built from these, not read back (issue 11)
            case.intake_clocks, case.intake_decisions = clocks, made
    except IntegrityError:
        earlier = _idempotent(idempotency_scope, key) if key else None
        if earlier is None:
            raise
        return earlier, False
    return case, True


def local_day(at) -> str:
    """The day of `at` in the service centre's time zone (Asia/Shanghai), for case numbers."""
    return timezone.localtime(at).strftime("%Y%m%d")


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


def _start_clocks(case: Case, *, fresh: bool = False) -> list[Timer]:
    names = ["first_response", "resolution"]
    if case.major and case.family in (Family.COMPLAINT, Family.REPAIR):
        names.append("onsite")  # SLA-1: a major quality problem is solved on site within 24 h
    if fresh:
        return sla.start_fresh(case, names)
    return [sla.start(case, name) for name in names]


def refresh_due(case: Case) -> None:
    """Keep `next_due_at` — the earliest deadline of a running or missed clock — for the queue's order
    and the overdue filter (which looks at open cases only)."""
    content_type, object_id = target_of(case)
    due = (
        Timer.objects.filter(
            content_type=content_type,
            object_id=object_id,
            state__in=(TimerState.RUNNING, TimerState.BREACHED),
        )
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    if due != case.next_due_at:
        Case.objects.filter(pk=case.pk).update(next_due_at=due)
        case.next_due_at = due


def _responded(case: Case) -> None:
    """The first answer to the customer stops the first-response clock (SLA-2)."""
    if case.first_response_at is None:
        case.first_response_at = clock.now()
        Case.objects.filter(pk=case.pk).update(first_response_at=case.first_response_at)
        from kefu.engine.workflow.actions import timers

        timers.stop(case, ["first_response"])


# transitions whose completion is itself an answer to the customer
RESPONDING = {"accept", "answer", "wait", "inform"}


def act(actor: Actor, case: Case, name: str, *, data: dict | None = None, reason: str = "") -> Case:
    """Make the declared transition `name` (CASE-3) and keep the case's own facts in step."""
    data = {k: v for k, v in (data or {}).items()}
    for field in ("solution", "customer_reply", "root_cause", "corrective_action", "category", "product"):
        if field in data:
            data[field] = _text(data[field], field)
    if "priority" in data:
        data["priority"] = _choice(data["priority"], Priority, "priority")
    if name == "reopen" and not (reason or "").strip():
        raise Invalid(
            "case_reopen_reason",
            "重新处理须说明客户不满意的原因（CASE-3）",
            "Say why the customer is not satisfied to reopen (CASE-3)",
            {"reason": "required"},
        )
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
        if name in RESPONDING:
            _responded(case)
        if case.state == CaseState.INFORMED:
            updates["resolved_at"] = now
        elif case.state == CaseState.CLOSED:
            updates["closed_at"] = now
        elif name == "reopen":
            updates.update(
                reopen_count=case.reopen_count + 1, resolved_at=None, closed_at=None, satisfied=None
            )
            sla.start(case, "resolution")
        Case.objects.filter(pk=case.pk).update(**updates)
        for field, value in updates.items():
            setattr(case, field, value)
        if name == "classify":
            from kefu.cases.actions_complaints import detect_recurrence

            detect_recurrence(case)  # CASE-7: the category and product are known now
        refresh_due(case)
    return case


def comment(
    actor: Actor, case: Case, body: str, *, public: bool = False, authorised: bool = False
) -> Comment:
    """A note on the case, or (public) a reply to the customer, which counts as a response and
    restarts the next-update clock (SLA-2). `authorised`: the caller's action already checked the
    right (CASE-8: the receiving department tells the customer its reason and expected time)."""
    code = "case.handle" if public else "case.comment"
    if not authorised and not access.record_in_scope(actor, code, unit=case.unit, owner_id=case.owner_id):
        raise PermissionDenied(
            "您无权在此工单上留言", "You may not comment on this case", code="case_comment_forbidden"
        )
    body = _text(body, "body", required=True)
    with transaction.atomic():
        note = Comment.objects.create(case=case, author=actor.user, public=public, body=body, at=clock.now())
        audit.record(actor, "cases.comment", case, after={"comment": note.pk, "public": public})
        if public:
            _responded(case)
            if case.state in OPEN_STATES and case.state not in (CaseState.RECEIVED, CaseState.CLASSIFIED):
                sla.start(case, "next_update")
            from kefu.cases.mail import reply_to_customer  # CASE-2: the reply goes out by e-mail

            reply_to_customer(actor, case, note)
        Case.objects.filter(pk=case.pk).update(updated_at=clock.now())
        refresh_due(case)
    return note


def customer_wrote(case: Case, body: str, *, message_id: str = "", actor: Actor | None = None) -> Comment:
    """The customer added to the case (an e-mail reply, the public status page). A waiting case resumes."""
    actor = actor or Actor.system("customer")
    with transaction.atomic():
        note = Comment.objects.create(
            case=case,
            from_customer=True,
            public=True,
            body=_text(body, "body", required=True),
            at=clock.now(),
            message_id=message_id[:300],
        )
        audit.record(actor, "cases.customer_wrote", case, after={"comment": note.pk})
        if case.state == CaseState.WAITING:
            workflow.transition(actor, case, "resume", reason="客户回复 / the customer replied")
        Case.objects.filter(pk=case.pk).update(updated_at=clock.now())
        refresh_due(case)
    return note


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


def running_clocks(case: Case):
    content_type, object_id = target_of(case)
    return Timer.objects.filter(content_type=content_type, object_id=object_id, state__in=CLOCK_STATES)
