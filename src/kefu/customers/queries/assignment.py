"""CUS-7 assignment as read: the specialists a customer may be assigned to (fewest customers first),
the choice by skill and load, the first-contact timer and the history of assignments and first contacts."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.utils import translation
from django.utils.translation import gettext

from kefu.customers.lifecycle import FIRST_CONTACT, LIFECYCLE
from kefu.customers.models import Customer, SpecialistSkill
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


def need_of(customer: Customer) -> str:
    """CUS-7: what the customer needs a specialist to know — the customer's industry (所属行业)."""
    return (customer.industry or "").strip()


@dataclass(frozen=True)
class Choice:
    """CUS-7: the specialist chosen for a customer, and why (skill and load)."""

    chosen: object  # Employee annotated with `load`, or None when nobody may be assigned
    need: str  # the customer's industry ("" when not given)
    skilled: int  # how many candidates have that skill
    candidates: int  # how many candidates in all

    @property
    def by_skill(self) -> bool:
        return bool(self.need) and self.skilled > 0


def choose(customer: Customer) -> Choice:
    """CUS-7 "负责客户数量均衡、兼顾业务能力": among the candidates who know the customer's industry, the
    one with the fewest customers; nobody with that skill (or no industry given) → the least loaded of
    all. Two queries whatever the number of candidates."""
    need = need_of(customer)
    pool = list(candidates(customer))
    skilled = []
    if need:
        knowing = set(
            SpecialistSkill.objects.filter(employee__in=[e.pk for e in pool], industry=need).values_list(
                "employee_id", flat=True
            )
        )
        skilled = [e for e in pool if e.pk in knowing]
    chosen = (skilled or pool or [None])[0]
    return Choice(chosen=chosen, need=need, skilled=len(skilled), candidates=len(pool))


def with_skills(employees):
    """The employees with their CUS-7 skills prefetched (`skill_list`), one query for all."""
    return employees.prefetch_related(
        Prefetch(
            "customer_skills", queryset=SpecialistSkill.objects.order_by("industry"), to_attr="skill_list"
        )
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
