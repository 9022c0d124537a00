"""Building blocks of the vendor-filing actions (VEN-1): text checks, the unified social credit code, money
in 元, the permission-and-scope check on the filing written to, and the filing's row lock."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from kefu.org import access
from kefu.org.models import Unit
from kefu.org.permissions import CATALOGUE
from kefu.vendors.models import Filing, FilingStatus
from kefu.vendors.queries import filings as queries

RULE = "VEN-1"
CENT = Decimal("0.01")
MONEY_MAX = Decimal("99999999999999.99")
CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015: no I, O, S, V, Z
CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CODE = re.compile(r"^[0-9A-HJ-NP-RTUW-Y]{18}$")
_PHONE = re.compile(r"^[0-9+\-\s]{5,20}$")
STATE_NAMES = {s.value: s.label for s in FilingStatus}


def text(value, field: str, zh: str, *, limit: int, required: bool = True) -> str:
    found = str(value or "").strip()
    if required and not found:
        raise Invalid(f"vendor_{field}_required", f"请填写{zh}", f"{field} is required", {field: "required"})
    if len(found) > limit:
        raise Invalid(
            f"vendor_{field}_long", f"{zh}不能超过 {limit} 个字", f"{field} is too long", {field: "too_long"}
        )
    return found


def check_digit(first17: str) -> str:
    """The 18th character of a unified social credit code (GB 32100-2015)."""
    total = sum(CODE_CHARS.index(c) * w for c, w in zip(first17, CODE_WEIGHTS, strict=True))
    return CODE_CHARS[(31 - total % 31) % 31]


def credit_code(value) -> str:
    code = str(value or "").strip().upper()
    if not _CODE.match(code) or check_digit(code[:17]) != code[17]:
        raise Invalid(
            "vendor_credit_code",
            "统一社会信用代码应为 18 位数字或大写字母，且校验位正确",
            "The unified social credit code must be 18 characters with a valid check digit",
            {"credit_code": "invalid"},
        )
    return code


def money(value, field: str, zh: str) -> Decimal:
    """An amount in 元, two places, never negative (never a float on the way)."""
    try:
        amount = Decimal(str(value).strip()) if value is not None and str(value).strip() else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise Invalid(
            f"vendor_{field}_invalid", f"请填写{zh}（元）", f"{field} must be an amount", {field: "invalid"}
        )
    amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if amount < 0 or amount > MONEY_MAX:
        raise Invalid(
            f"vendor_{field}_range",
            f"{zh}应在 0 至 {MONEY_MAX} 元之间",
            f"{field} is out of range",
            {field: "range"},
        )
    return amount


def phone(value) -> str:
    found = str(value or "").strip()
    if not found or not _PHONE.match(found):
        raise Invalid(
            "vendor_contact_phone",
            "请填写联系人电话（数字）",
            "The contact's phone is required",
            {"contact_phone": "invalid"},
        )
    return found


def require_unit(actor: Actor, code: str, unit: Unit) -> None:
    """ORG-3 on a new filing's subsidiary: the permission must reach it."""
    access.require_write(actor, code)
    if not access.write_in_scope(actor, code, unit=unit, owner_id=None):
        raise NotFound("子公司", "subsidiary")


def require(actor: Actor, code: str, filing: Filing) -> None:
    """ORG-3 on the filing written to: `code` must reach its subsidiary. Who sees the filing but may not do
    this is told why (403); who does not see it learns nothing (404)."""
    if access.write_in_scope(actor, code, unit=filing.unit, owner_id=None):
        return
    if queries.filings(actor).filter(pk=filing.pk).exists():
        name = CATALOGUE[code].zh
        raise PermissionDenied(f"您没有对该备案“{name}”的权限", f"You may not do this to the filing ({code})")
    raise NotFound("外包客服备案", "vendor filing")


def locked(filing: Filing) -> Filing:
    return Filing.objects.select_for_update(of=("self",)).select_related("unit").get(pk=filing.pk)


def expect(filing: Filing, *states: str, doing: str) -> None:
    if filing.status not in states:
        raise Conflict(
            "vendor_filing_state",
            f"备案当前为“{STATE_NAMES[filing.status]}”，不能{doing}",
            f"The filing is {filing.status}: cannot {doing}",
        )
