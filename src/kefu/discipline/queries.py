"""Read paths of the discipline ledger, always scoped by `discipline.view` (DIS-1)."""

from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.discipline.models import PenaltyProposal
from kefu.org import access
from kefu.org.models import Employee

# the ledger's filters → the lookups they make (empty values are ignored)
FILTERS = {
    "status": "status",
    "offence": "offence",
    "employee_id": "employee_id",
    "rule": "rule",
    "since": "proposed_at__date__gte",
    "until": "proposed_at__date__lte",
}


def ledger(actor: Actor, **filters):
    """Proposals in the actor's `discipline.view` scope, narrowed by `filters` (names of FILTERS)."""
    qs = access.scoped(
        PenaltyProposal.objects.select_related("employee", "unit", "proposed_by", "decided_by"),
        actor,
        "discipline.view",
        owner="employee_id",
    )
    return qs.filter(**{FILTERS[name]: value for name, value in filters.items() if value})


def proposal(actor: Actor, pk: int) -> PenaltyProposal:
    found = ledger(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("处罚建议", "penalty proposal")
    return found


def proposable_employees(actor: Actor):
    """The active employees HR may record a proposal for (`discipline.confirm` scope)."""
    return access.scoped(
        Employee.objects.filter(status="active").select_related("unit"),
        actor,
        "discipline.confirm",
        owner="pk",
    ).order_by("unit__path", "number")


def employee(actor: Actor, pk) -> Employee:
    found = proposable_employees(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("员工", "employee")
    return found
