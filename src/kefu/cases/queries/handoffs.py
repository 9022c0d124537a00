"""Read paths of cross-department 报备 (CASE-8): the receiving department's inbox by `case.handle`
over the handoff's unit, one handoff (received, or of a case the caller sees), a case's handoffs and
the departments a case can be reported to.
"""

from django.db.models import Q

from kefu.cases.models import Case, Handoff, HandoffState
from kefu.cases.queries import intake
from kefu.cases.queries.scope import ID_LIMIT
from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.core.scopes import scope_q
from kefu.org import access
from kefu.org.models import Unit

HANDOFF_RELATED = ("case", "case__unit", "from_unit", "unit", "owner", "sent_by")
OPEN_HANDOFFS = (HandoffState.SENT, HandoffState.ACKNOWLEDGED, HandoffState.CLARIFYING, HandoffState.DEFERRED)


def receiving_q(actor: Actor) -> Q | None:
    return scope_q(access.grants(actor, "case.handle"), unit_path="unit__path", owner="owner_id")


def inbox(actor: Actor, *, unit_id: int | None = None, state: str = "", open_only: bool = False):
    """The receiving department's 报备 inbox: handoffs to units the caller handles cases for."""
    condition = receiving_q(actor)
    rows = Handoff.objects.select_related(*HANDOFF_RELATED)
    if condition is None:
        return rows.none()
    rows = rows.filter(condition)
    if unit_id:
        rows = rows.filter(unit_id=unit_id)
    if state:
        rows = rows.filter(state=state)
    if open_only:
        rows = rows.filter(state__in=OPEN_HANDOFFS)
    return rows.order_by("-sent_at", "-pk")


def handoff(actor: Actor, pk) -> Handoff:
    """One handoff the caller receives, or of a case the caller sees; NotFound otherwise."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound("报备", "handoff") from None
    if not 0 < pk < ID_LIMIT:
        raise NotFound("报备", "handoff")
    found = inbox(actor).filter(pk=pk).first()
    if found is None:
        found = Handoff.objects.select_related(*HANDOFF_RELATED).filter(pk=pk).first()
        if found is None or not intake.cases(actor).filter(pk=found.case_id).exists():
            raise NotFound("报备", "handoff")
    return found


def case_handoffs(case: Case):
    """The handoffs of a case the caller already sees."""
    return Handoff.objects.filter(case=case).select_related(*HANDOFF_RELATED).order_by("sent_at", "pk")


def receivable_units(actor: Actor, case: Case):
    """Departments a case can be reported to: the active units of the case's subsidiary and the
    group's own departments, other than the case's unit."""
    return (
        Unit.objects.filter(is_active=True, kind__in=("department", "team"))
        .exclude(pk=case.unit_id)
        .order_by("path")
    )


def unit_named(value) -> Unit | None:
    """The unit a request names by id, or None (the action refuses it: `case_handoff_unit`); whether
    the case may be reported there is the action's rule (`within_reach`)."""
    text = str(value if value is not None else "").strip()
    pk = int(text) if text.isdigit() and len(text) < 18 else 0
    return Unit.objects.filter(pk=pk).first() if pk else None
