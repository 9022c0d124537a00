"""The charges of a case (PRC-1), for those who may see the case."""

from decimal import Decimal

from kefu.catalogue.models import CaseCharge


def of_case(case) -> list[CaseCharge]:
    """The charges of a case the caller already may see (the case query checked the scope)."""
    return list(
        CaseCharge.objects.filter(case=case).select_related("item", "version", "created_by__employee")
    )


def total(charges) -> Decimal:
    return sum((c.amount for c in charges), Decimal("0.00"))


def count(case_id: int) -> int:
    return CaseCharge.objects.filter(case_id=case_id).count()
