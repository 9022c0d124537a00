"""Fee quotes (FEE-1): the price table read from the policy pack at the version in force (each price
with its clause of 003 · 应急预案编制取费标准), the calculation of a quote, and the quotes of the caller's
scope (fees.view or fees.quote)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.core.scopes import scope_q
from kefu.emergency.models import Quote
from kefu.engine.policy import api as policy
from kefu.org import access

VIEW = "fees.view"
QUOTE = "fees.quote"
ID_LIMIT = 2**31
CENT = Decimal("0.01")
HUNDRED = Decimal(100)

# the services of the table: code → (pack key, label, per what); the base fee is chosen by headcount
SERVICES = {
    "site_survey": ("fees.site_survey", "现场调研", "项"),
    "risk_assessment": ("fees.risk_assessment", "风险评估", "项"),
    "drill": ("fees.drill", "应急演练", "次"),
    "expert_hours": ("fees.expert_per_hour", "专家咨询", "小时"),
    "translation_chars": ("fees.translation_per_char", "资料翻译", "字"),
    "review": ("fees.review", "应急预案评审", "项"),
}


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def base_key(headcount: int, *, at=None) -> str:
    """FEE-1 (docs/decisions.md): fewer than 100 people → small; from 100 up to 499 → medium; 500 and more
    → large (the seed's "100-500人" and "500人以上" overlap at 500: 以上 includes the number)."""
    medium_from = int(policy.lookup("fees.medium_from_headcount", at=at).value)
    large_from = int(policy.lookup("fees.large_from_headcount", at=at).value)
    if headcount >= large_from:
        return "fees.base_large"
    if headcount >= medium_from:
        return "fees.base_medium"
    return "fees.base_small"


@dataclass(frozen=True)
class Line:
    code: str
    label: str
    quantity: Decimal
    price: Decimal
    amount: Decimal
    clause: str


@dataclass(frozen=True)
class Payment:
    label: str
    percent: Decimal
    amount: Decimal


def schedule(total: Decimal, progress_percent: Decimal, *, at=None) -> list[Payment]:
    """FEE-1 (docs/decisions.md): 预付款 the pack's advance share; 进度款 the share agreed on the quote
    (0 by default); 结算款 the remainder ("剩余") — so the three always total 100 %, and with no progress
    payment the remainder is the pack's 50 %. The settlement amount is the total minus the others, so the
    amounts total the quote to the fen."""
    advance = Decimal(str(policy.lookup("fees.advance_percent", at=at).value))
    remainder = HUNDRED - advance - progress_percent
    first = money(total * advance / HUNDRED)
    second = money(total * progress_percent / HUNDRED)
    rows = [Payment("预付款（合同签订后）", advance, first)]
    if progress_percent:
        rows.append(Payment("进度款（项目实施过程中）", progress_percent, second))
    rows.append(Payment("结算款（项目完成后，剩余款项）", remainder, total - first - second))
    return rows


def price_table(*, at=None) -> list:
    keys = ["fees.base_small", "fees.base_medium", "fees.base_large", *[k for k, _, _ in SERVICES.values()]]
    return [policy.lookup(k, at=at) for k in keys]


def quotes(actor: Actor):
    grants = [g for code in (QUOTE, VIEW) for g in access.grants(actor, code)]
    condition = scope_q(grants, unit_path="unit__path", owner=None)
    if condition is None:
        return Quote.objects.none()
    return Quote.objects.filter(condition).select_related("unit", "created_by").order_by("-created_at", "-pk")


def quote(actor: Actor, pk) -> Quote:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = 0
    found = quotes(actor).filter(pk=pk).first() if 0 < pk < ID_LIMIT else None
    if found is None:
        raise NotFound("报价单", "quote")
    return found
