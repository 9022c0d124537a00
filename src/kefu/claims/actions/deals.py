"""Signed deals and their commission splits (CLM-9): the deal links to its claim (→ signed); the
split, agreed by the owner's supervisor, names only colleagues and totals 100%."""

from decimal import Decimal, InvalidOperation

from django.db import transaction

from kefu.claims.actions import common
from kefu.claims.models import Claim, Deal, DealShare
from kefu.claims.queries.people import require_colleague
from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, PermissionDenied
from kefu.engine.workflow import api as workflow
from kefu.org import access
from kefu.org.models import Employee

SPLIT_CLAUSE = "成交后由主管领导、当事员工三方协商分配"

# storage bounds of the columns (14 and 5 digits, 2 decimals), not policy numbers
AMOUNT_LIMIT = Decimal("999999999999.99")
PERCENT_LIMIT = Decimal("999.99")


def _decimal(value, code: str, zh: str, en: str, field: str, *, upper: Decimal) -> Decimal:
    """A positive number with at most two decimals, below `upper` (inclusive); else `Invalid`."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        number = None
    if (
        number is None
        or not number.is_finite()
        or number <= 0
        or number > upper
        or number != round(number, 2)
    ):
        raise Invalid(code, zh, en, {field: "number"})
    return number


def _percent(value) -> Decimal:
    return _decimal(
        value,
        "claim_split_percent",
        "提成比例须为大于 0 的百分数，最多两位小数（CLM-9）",
        "Each share must be a percentage above 0 with at most two decimals (CLM-9)",
        "shares",
        upper=PERCENT_LIMIT,
    )


def record_deal(
    actor: Actor,
    claim: Claim,
    *,
    amount,
    agreed_by: Employee,
    shares: list[tuple[Employee, object]],
    note: str = "",
) -> Deal:
    """CLM-9: the deal links to its claim (→ signed); the split, agreed by 主管领导, totals 100%."""
    me = common.me(actor)
    if not (
        (me is not None and me.pk == claim.owner_id)
        or access.record_in_scope(actor, "claim.manage", unit=claim.unit, owner_id=None)
    ):
        raise PermissionDenied(
            "只有报备人或行政部可以登记签单（CLM-9）",
            "Only the claim's owner or the admin office records its deal (CLM-9)",
        )
    rows = [(require_colleague(claim.unit, employee, "shares"), _percent(p)) for employee, p in shares]
    total = sum((p for _, p in rows), Decimal(0))
    if not rows or total != Decimal(100):
        raise Invalid(
            "claim_split_total",
            f"提成分配合计须为 100%，当前为 {total}%（CLM-9）",
            f"The commission split must total exactly 100%; it totals {total}% (CLM-9)",
            {"shares": str(total)},
        )
    if len({e.pk for e, _ in rows}) != len(rows):
        raise Invalid(
            "claim_split_duplicate",
            "同一员工只能出现一次",
            "Each employee may appear once",
            {"shares": "dup"},
        )
    if not claim.owner.supervisors.filter(pk=agreed_by.pk).exists():
        raise Invalid(
            "claim_split_agreed_by",
            "分配须由报备人的主管领导确认（CLM-9）",
            "The split must be agreed by the owner's supervisor (CLM-9)",
            {"agreed_by": "supervisor"},
        )
    amount = _decimal(
        amount,
        "claim_deal_amount",
        "签单金额须为大于 0 的金额，最多两位小数",
        "The deal amount must be a positive sum with at most two decimals",
        "amount",
        upper=AMOUNT_LIMIT,
    )
    with transaction.atomic():
        claim = workflow.transition(actor, claim, "sign", reason=note or "签单")
        deal = Deal.objects.create(
            claim=claim,
            signed_at=clock.now(),
            amount=amount,
            agreed_by=agreed_by,
            recorded_by=actor.user,
            note=(note or "")[:500],
        )
        DealShare.objects.bulk_create([DealShare(deal=deal, employee=e, percent=p) for e, p in rows])
        audit.record(
            actor,
            "claims.deal",
            deal,
            after={
                "claim": claim.pk,
                "amount": amount,
                "agreed_by": agreed_by.pk,
                "shares": {str(e.pk): str(p) for e, p in rows},
            },
            reason=SPLIT_CLAUSE,
        )
    return deal
