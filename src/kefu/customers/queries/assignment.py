"""CUS-7 assignment as read: the specialists a customer may be assigned to (fewest customers first),
the first-contact timer and the history of assignments and first contacts."""

from django.db.models import Count, Q
from django.utils import translation
from django.utils.translation import gettext

from kefu.customers.lifecycle import FIRST_CONTACT, LIFECYCLE
from kefu.customers.models import Customer
from kefu.engine.policy.api import subsidiary_of
from kefu.engine.workflow import api as workflow
from kefu.org.models import Employee

SPECIALIST_ROLES = ("agent", "sales")


def candidates(customer: Customer):
    """Active specialists (roles agent/sales) in the customer's subsidiary, fewest active customers first."""
    subsidiary = subsidiary_of(customer.unit)
    path = subsidiary.path if subsidiary is not None else "/"
    return (
        Employee.objects.filter(
            status="active",
            user__is_active=True,
            unit__path__startswith=path,
            role_assignments__role__code__in=SPECIALIST_ROLES,
        )
        .distinct()
        .annotate(
            load=Count(
                "assigned_customers", filter=Q(assigned_customers__destroyed_at__isnull=True), distinct=True
            )
        )
        .order_by("load", "pk")
    )


def first_contact_timer(customer: Customer):
    """The latest CUS-7 first-contact timer of the customer (None before any assignment)."""
    return workflow.clocks(customer, names=[FIRST_CONTACT.name]).order_by("-started_at", "-pk").first()


def assignment_history(customer: Customer) -> list[dict]:
    """CUS-7: the workflow moves of the customer (assignments and first contacts), oldest first,
    each with its label in the active language."""
    english = (translation.get_language() or "").startswith("en")
    rows = []
    for move in workflow.history(customer):
        declared = LIFECYCLE.transition(move.transition)
        label = (declared.label_en if english else declared.label_zh) if declared else move.transition
        by = move.actor.get_username() if move.actor else gettext("system")
        rows.append({"at": move.at, "label": label, "by": by, "reason": move.reason})
    return rows
