"""CUS-2 客户分类管理标准: the grade a customer's annual amount reaches, its decision record, and the
administrators' thresholds (set in the admin, each change audited)."""

from decimal import Decimal

from django.db import transaction

from kefu.core import audit, decisions
from kefu.core.actor import Actor
from kefu.customers.models import Customer, GradeStandard


def grade_for(amount) -> str:
    """CUS-2 grade by the configured GradeStandard: the highest threshold reached ("" if unconfigured)."""
    if amount is None:
        return ""
    standards = list(GradeStandard.objects.order_by("-min_annual_amount"))
    for standard in standards:
        if Decimal(amount) >= standard.min_annual_amount:
            return standard.grade
    return standards[-1].grade if standards else ""


def regrade(customer: Customer, actor: Actor | None) -> None:
    """The grade of the customer's (changed) annual amount; a saved customer's new grade is recorded."""
    grade = grade_for(customer.annual_amount)
    if grade and grade != customer.grade:
        customer.grade = grade
        if customer.pk:
            record(customer, actor)


def record(customer: Customer, actor: Actor | None) -> None:
    """The decision record of the customer's grade, with the standard it was read from."""
    standard = list(GradeStandard.objects.values_list("grade", "min_annual_amount"))
    decisions.record(
        customer,
        rule="CUS-2",
        outcome=f"客户等级 {customer.grade} / grade {customer.grade}",
        inputs={"annual_amount": customer.annual_amount, "standard": standard},
        policy_version=customer.policy_version,
        clause="客户分类管理标准（默认值，制度未规定）",
        actor=actor,
    )


def _standard_row(standard: GradeStandard) -> dict:
    return {"grade": standard.grade, "min_annual_amount": standard.min_annual_amount, "note": standard.note}


def save_grade_standard(actor: Actor, standard: GradeStandard) -> GradeStandard:
    """CUS-2 客户分类管理标准, set by an administrator in the admin (which checks the model
    permission): saved and audited with the values before and after, in one transaction."""
    with transaction.atomic():
        old = GradeStandard.objects.filter(pk=standard.pk).first() if standard.pk else None
        standard.save()
        audit.record(
            actor,
            "customers.grade_standard",
            standard,
            before=_standard_row(old) if old is not None else None,
            after=_standard_row(standard),
        )
    return standard


def delete_grade_standards(actor: Actor, standards) -> None:
    """Remove grade thresholds in the admin (CUS-2), each removal audited, in one transaction."""
    with transaction.atomic():
        for standard in standards:
            audit.record(actor, "customers.grade_standard_delete", standard, before=_standard_row(standard))
            standard.delete()
