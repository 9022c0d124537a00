"""The security incident register (SEC-9)."""

from datetime import datetime

from django.db import transaction

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound
from kefu.customers.governance.actions.common import _purpose
from kefu.customers.governance.models import (
    IncidentKind,
    SecurityIncident,
)
from kefu.customers.queries.archive import may_view
from kefu.org import access
from kefu.org.models import Employee

# ---- SEC-9 incidents --------------------------------------------------------------------------------------


def record_incident(
    actor: Actor, *, kind: str, occurred_at: datetime, description: str, person: Employee, customers=()
) -> SecurityIncident:
    """Register a leak, loss or violation; the person's direct superiors are recorded (SEC-9)."""
    access.require(actor, "security.incident")
    if not access.unit_in_scope(actor, "security.incident", person.unit):
        raise NotFound("员工", "employee")
    if any(not may_view(actor, customer) for customer in customers):
        raise NotFound("客户", "customer")  # issue 10: only customers the recorder may see
    if kind not in IncidentKind.values:
        raise Invalid("SEC-9.kind", "事件类型无效", "Unknown incident kind", {"kind": kind})
    description = _purpose(description, "description")
    if occurred_at > clock.now():
        raise Invalid(
            "SEC-9.future",
            "发生时间不能晚于现在",
            "The incident cannot be in the future",
            {"occurred_at": "future"},
        )
    superiors = list(person.supervisors.all())
    with transaction.atomic():
        incident = SecurityIncident.objects.create(
            kind=kind,
            occurred_at=occurred_at,
            description=description,
            person=person,
            unit=person.unit,
            recorded_by=actor.principal,
            created_at=clock.now(),
        )
        incident.superiors.set(superiors)
        incident.customers.set(list(customers))
        audit.record(
            actor,
            "security.incident",
            incident,
            after={
                "kind": kind,
                "person": person.pk,
                "superiors": [s.pk for s in superiors],
                "customers": [c.pk for c in customers],
            },
        )
    return incident
