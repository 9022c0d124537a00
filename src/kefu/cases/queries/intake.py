"""Read paths of service cases, always through the caller's data scope.

Who sees a case: holders of `case.view` whose scope covers the case's unit; the owner (own scope);
and the members of the case's skill group while it waits unassigned in their queue (ROUTE-1).
Anyone else gets 404. Contact data is shown masked unless the reader may see full personal data.
"""

import re
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kefu.cases import lifecycle
from kefu.cases.models import (
    OPEN_STATES,
    Attachment,
    Case,
    CaseKind,
    CaseState,
    Comment,
    SkillGroup,
    Transfer,
)
from kefu.cases.queries.scope import ID_LIMIT, by_pk
from kefu.core import clock, decisions, memo, textsearch
from kefu.core.actor import Actor
from kefu.core.crypto import blind_index, mask_phone
from kefu.core.errors import Invalid, NotFound
from kefu.customers.queries.archive import PHONE_TERM
from kefu.customers.queries.archive import customers as customers_in_scope
from kefu.engine.workflow import api as workflow
from kefu.engine.workflow.api import TimerState
from kefu.org import access
from kefu.org.models import Unit
from kefu.org.queries import unit_ids_under

LIST_RELATED = ("kind", "owner", "unit", "skill_group", "customer")
TEXT_COLUMNS = ("title", "description", "contact_name")  # the gram index of cases migration 0010
# customers whose name matches, whose cases a search also finds: a name shared by more customers is
# too common to narrow the cases by (the cases' own contact names still match)
CUSTOMERS_MATCHED = 200
CLOCK_STATES = (TimerState.RUNNING, TimerState.PAUSED)


def shown_customers(actor: Actor, cases=(), *, customer_ids=()) -> set[int]:
    """The ids among the customers linked to `cases` (or `customer_ids`) that the reader may see
    (customer.view in scope); a case shows no other link — no id, no name (issue 10). One query."""
    ids = {c.customer_id for c in cases if c.customer_id} | {i for i in customer_ids if i}
    if not ids:
        return set()
    return set(customers_in_scope(actor).filter(pk__in=ids).values_list("pk", flat=True))


def visible_q(actor: Actor) -> Q | None:
    """The cases the actor may see, as a filter on the case's own columns (unit ids, owner, group):
    a list then walks the cases' indexes instead of joining the unit tree row by row."""
    condition = None
    paths = set()
    for grant in access.grants(actor, "case.view"):
        if grant.scope == "own":
            if grant.employee_id is not None:
                part = Q(owner_id=grant.employee_id)
                condition = part if condition is None else condition | part
        else:
            paths.add(grant.anchor_path)
    if paths:
        part = Q(unit_id__in=unit_ids_under(sorted(paths)))
        condition = part if condition is None else condition | part
    employee = access.employee_of(actor.principal)
    if employee is not None:
        groups = SkillGroup.objects.filter(members=employee).values("pk")
        queue = Q(owner__isnull=True, skill_group_id__in=groups)
        condition = queue if condition is None else condition | queue
    return condition


def cases(
    actor: Actor,
    *,
    kind: str = "",
    family: str = "",
    state: str = "",
    owner_id: int | None = None,
    unit_id: int | None = None,
    group_id: int | None = None,
    customer_id: int | None = None,
    overdue: bool | None = None,
    open_only: bool = False,
    received_from: date | None = None,
    received_to: date | None = None,
    q: str = "",
):
    """Cases the actor may see, filtered; newest first."""
    condition = visible_q(actor)
    qs = Case.objects.select_related(*LIST_RELATED)
    if condition is None:
        return qs.none()
    qs = qs.filter(condition)
    if kind:
        qs = qs.filter(kind_id__in=CaseKind.objects.filter(code=kind).values("pk"))
    if family:
        qs = qs.filter(family=family)
    if state:
        qs = qs.filter(state__in=state.split(",")) if "," in state else qs.filter(state=state)
    if open_only:
        qs = qs.filter(state__in=OPEN_STATES)
    if owner_id:
        qs = qs.filter(owner_id=owner_id)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if group_id:
        qs = qs.filter(skill_group_id=group_id)
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if overdue is True:
        qs = qs.filter(next_due_at__lt=clock.now(), state__in=OPEN_STATES)
    elif overdue is False:
        qs = qs.exclude(next_due_at__lt=clock.now(), state__in=OPEN_STATES)
    if received_from:
        qs = qs.filter(received_at__gte=day_start(received_from))
    if received_to:
        qs = qs.filter(received_at__lt=day_start(received_to, next_day=True))
    if q.strip():
        qs = qs.filter(matching(actor, q))
    return qs


def matching(actor: Actor, q: str) -> Q:
    """Issue 13: the cases a search term finds, in every state — the number (exact), the text of
    title, description and contact name (every word contained; 2-character Chinese terms included,
    through the gram index on PostgreSQL), the name of a linked customer the reader may see, or the
    full phone by blind index (nothing decrypted, nothing stored in clear)."""
    term = q.strip()
    found = Q(number=term.upper()) | textsearch.contains(term, *TEXT_COLUMNS)
    if re.fullmatch(PHONE_TERM, term):
        found |= Q(contact_phone_index=blind_index(term))
    named = list(customers_in_scope(actor, q=term).values_list("pk", flat=True)[:CUSTOMERS_MATCHED])
    if named:
        found |= Q(customer_id__in=named)
    return found


def day_start(day: date, *, next_day: bool = False) -> datetime:
    start = datetime.combine(day, time.min, tzinfo=clock.zone())
    return start + timedelta(days=1) if next_day else start


def case(actor: Actor, pk) -> Case:
    """One case in the actor's scope; NotFound (404) otherwise."""
    return by_pk(cases(actor), pk, ("工单", "case"))


def mine_and_queue(found, employee):
    """Of `found`, the employee's own cases and the unassigned cases waiting in their skill groups."""
    groups = SkillGroup.objects.filter(members=employee).values("pk")
    return found.filter(Q(owner=employee) | Q(owner__isnull=True, skill_group_id__in=groups))


def attachment(case: Case, pk) -> Attachment:
    """A file of a case the caller already sees; NotFound (404) otherwise."""
    found = case.attachments.filter(pk=pk).first() if 0 < int(pk) < ID_LIMIT else None
    if found is None:
        raise NotFound("附件", "attachment")
    return found


def receiving_unit(actor: Actor, unit_id: int | None) -> Unit:
    """The unit that receives a new case: the one named (404 when it does not exist or lies outside
    the caller's case.handle scope — the action checks that scope again), else the caller's own."""
    if unit_id is None:
        employee = access.employee_of(actor.principal)
        if employee is None:
            raise Invalid(
                "case_unit_required",
                "请指明受理单位（unit_id）",
                "Say which unit receives the case (unit_id)",
                {"unit_id": "required"},
            )
        return employee.unit
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise NotFound("组织", "unit")
    return unit


def case_after_action(pk) -> Case:
    """The case the caller's own action just changed, read back whatever their scope is now (the
    action may have taken it out: routed to another group) — for the answer to what they just did."""
    return Case.objects.select_related(*LIST_RELATED).get(pk=pk)


def may_see_contact(actor: Actor, case: Case) -> bool:
    return access.record_in_scope(actor, "customer.view_full", unit=case.unit, owner_id=case.owner_id)


def contact_shown(actor: Actor, case: Case, *, reveal: bool = True) -> dict:
    """The contact as the reader may see it: masked phone and e-mail unless full view (SEC-2).
    `reveal=False` masks even for full viewers (the case page shows full data only when asked)."""
    full = reveal and may_see_contact(actor, case)
    email = case.contact_email or ""
    if email and not full:
        local, _, domain = email.partition("@")
        email = f"{local[:1]}***@{domain}"
    return {
        "name": case.contact_name,
        "phone": case.contact_phone if full else mask_phone(case.contact_phone) if case.contact_phone else "",
        "email": email,
        "masked": not full,
    }


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


# kinds recorded on a form of their own, with the record that belongs to them (HRD-1's report): the
# general new-case form and API do not take them → the name of that form, for the refusal
OWN_FORM_KINDS = {"hardship": "逾期报备"}


def own_form_refusal(code: str) -> Invalid:
    name = OWN_FORM_KINDS[code]
    return Invalid(
        "case_kind_own_form",
        f"「{name}」请在「{name}」页面登记（需填写报备信息）",
        f"Cases of kind “{code}” are recorded on their own form",
        {"kind": "own_form"},
    )


def kinds_for_new(unit) -> list[CaseKind]:
    """The kinds the general new-case form offers: all but those with a form of their own."""
    return [k for k in kinds_for(unit) if k.code not in OWN_FORM_KINDS]


def kinds_for(unit) -> list[CaseKind]:
    """The kinds a unit offers: the shipped ones and its own, a unit's own kind replacing a shipped one."""
    ids = unit.ancestor_ids() if unit is not None else []
    chosen: dict[str, CaseKind] = {}
    depth = {uid: i for i, uid in enumerate(ids)}
    for kind in CaseKind.objects.filter(Q(unit__isnull=True) | Q(unit_id__in=ids), active=True):
        rank = depth.get(kind.unit_id, -1)
        current = chosen.get(kind.code)
        if current is None or rank > depth.get(current.unit_id, -1):
            chosen[kind.code] = kind
    return sorted(chosen.values(), key=lambda k: (k.ordering, k.pk))


def parse_day(value: str, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid(
            "case_date_invalid",
            f"{field} 日期格式无效（YYYY-MM-DD）",
            f"{field}: use YYYY-MM-DD",
            {field: "date"},
        ) from None


CLOSED_STATES = (CaseState.CLOSED, CaseState.ARCHIVED)


def running_clocks(case: Case):
    """The case's running and paused clocks."""
    return workflow.clocks(case, states=CLOCK_STATES)


def live_clocks(cases: list[Case]):
    """The running and paused clocks of many cases in one query, soonest first."""
    return workflow.clocks(cases, states=CLOCK_STATES).order_by("due_at", "pk")


def listed_clocks(cases: list[Case]) -> list:
    """What a list of cases shows of their clocks, in one query: the running and paused ones, and the
    missed ones of a case still being handled (a breach at the top of the chain leaves its clock
    `breached`, not running: it must stay in sight, issue 13)."""
    handled = {str(c.pk) for c in cases if c.state in OPEN_STATES}
    timers = workflow.clocks(cases, states=(*CLOCK_STATES, TimerState.BREACHED)).order_by("due_at", "pk")
    return [t for t in timers if t.state != TimerState.BREACHED or t.object_id in handled]


def all_clocks(case: Case):
    """Every clock the case ever had (running, paused, done, breached), oldest first."""
    return workflow.clocks(case)


# ---------------------------------------------------------------- what the workbench shows
# The timeline merges receipt, state changes, comments, transfers, escalations and attachments in
# time order, in the reader's language.


def in_language(zh: str, en: str) -> str:
    return en if (get_language() or "").startswith("en") else zh


def escalations(case: Case):
    rows = list(workflow.escalations(case).select_related("actor__employee").order_by("at", "pk"))
    for row in rows:
        row.label = (
            str(lifecycle.CHAIN.level(row.level))
            if row.level <= len(lifecycle.CHAIN.levels)
            else row.level_name
        )
        row.skipped_labels = [level_label(name) for name in row.skipped or []]
    return rows


def level_label(name: str) -> str:
    """A level of the case chain by its name ("cs_manager" → 客服经理), in the page's language."""
    return next((str(level) for level in lifecycle.CHAIN.levels if level.name == name), name)


def _who(user) -> str:
    if user is None:
        return _("System")
    employee = getattr(user, "employee", None)
    return employee.name if employee is not None else user.get_username()


def timeline(case: Case, escalated=None) -> list[dict]:
    """Receipt, transitions, comments, transfers, escalations and attachments, oldest first."""
    states = {name: in_language(*labels) for name, labels in lifecycle.CASE.states.items()}
    moves = {t.name: in_language(t.label_zh, t.label_en) for t in lifecycle.CASE.transitions}
    rows = [
        {"at": case.received_at, "kind": _("Case received"), "what": case.title, "by": _who(case.created_by)}
    ]
    for change in workflow.history(case).select_related("actor__employee"):
        target = states.get(change.to_state, change.to_state)
        rows.append(
            {
                "at": change.at,
                "kind": _("Transition"),
                "what": f"{moves.get(change.transition, change.transition)} → {target}",
                "detail": decisions.outcome_text(change.reason),
                "by": _who(change.actor),
            }
        )
    for note in Comment.objects.filter(case=case).select_related("author__employee"):
        if note.from_customer:
            kind, by = _("Customer wrote"), case.contact_name or _("Customer")
        else:
            kind, by = (_("Reply to the customer") if note.public else _("Internal note")), _who(note.author)
        rows.append({"at": note.at, "kind": kind, "what": note.body, "by": by, "comment": True})
    for move in Transfer.objects.filter(case=case).select_related("to_owner", "to_unit", "by__employee"):
        target = move.to_owner.name if move.to_owner else move.to_unit.name
        bounce = f" · {_('bounce')}" if move.bounce else ""
        rows.append(
            {
                "at": move.at,
                "kind": _("Transfer"),
                "what": f"→ {target}{bounce}",
                "detail": move.reason,
                "by": _who(move.by),
            }
        )
    for step in escalated if escalated is not None else escalations(case):
        rows.append(
            {
                "at": step.at,
                "kind": _("Escalation"),
                "what": f"{step.level} · {step.label}",
                "detail": decisions.outcome_text(step.reason),
                "by": _("System") if step.automatic else _who(step.actor),
            }
        )
    for item in Attachment.objects.filter(case=case).select_related("uploaded_by__employee"):
        rows.append({"at": item.at, "kind": _("Attachment"), "what": item.name, "by": _who(item.uploaded_by)})
    rows.sort(key=lambda row: row["at"])
    return rows
