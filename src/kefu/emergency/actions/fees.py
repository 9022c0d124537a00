"""Fee quotes (FEE-1): the only code that writes quotes. A quote is priced from the pack's table in force
(003 · 应急预案编制取费标准) — a base fee per plan by headcount and the services asked for — in 元 as
decimals with two places, numbered per day (BJ-YYYYMMDD-NNN, the unique number decides, no counter row is
locked), with its payment schedule totalling 100 %."""

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, PermissionDenied
from kefu.emergency.models import Quote, QuoteLine, QuotePayment
from kefu.emergency.queries import fees as queries
from kefu.engine.policy import api as policy
from kefu.org import access
from kefu.org.models import Unit

MAX_PLANS = 100
MAX_HEADCOUNT = 10_000_000
MAX_QUANTITY = Decimal(10_000_000)


def _decimal(value, field: str, zh: str, *, high: Decimal, whole: bool = False) -> Decimal:
    try:
        number = Decimal(str(value if value not in (None, "") else "0").strip())
    except InvalidOperation:
        number = None
    if (
        number is None
        or not number.is_finite()
        or number < 0
        or number > high
        or (whole and number != number.to_integral())
    ):
        kind = "非负整数" if whole else "非负数"
        raise Invalid(f"fee_{field}", f"{zh}应为{kind}", f"{field} is invalid", {field: "invalid"})
    return number


def price(*, headcount, plans=1, progress_percent=0, at=None, **services) -> tuple[list, list]:
    """The lines and the payment schedule of a quote, nothing written (the page shows it first)."""
    headcount = int(_decimal(headcount, "headcount", "员工人数", high=Decimal(MAX_HEADCOUNT), whole=True))
    if headcount < 1:
        raise Invalid(
            "fee_headcount", "员工人数应至少为 1", "headcount must be positive", {"headcount": "invalid"}
        )
    plans = _decimal(plans, "plans", "预案份数", high=Decimal(MAX_PLANS), whole=True)
    if plans < 1:
        raise Invalid("fee_plans", "预案份数应至少为 1", "at least one plan", {"plans": "invalid"})
    # the progress payment is taken out of the settlement (剩余), so at most the pack's settlement share
    final = Decimal(str(policy.lookup("fees.final_payment_percent", at=at).value))
    progress = _decimal(progress_percent, "progress_percent", "进度款比例", high=final)
    if progress != progress.quantize(queries.CENT):
        raise Invalid(
            "fee_progress_percent", "进度款比例最多两位小数", "two decimals", {"progress_percent": "invalid"}
        )
    unknown = set(services) - set(queries.SERVICES)
    if unknown:
        raise Invalid("fee_service", "未知的服务项目", "Unknown service", {"services": "unknown"})
    base = policy.lookup(queries.base_key(headcount, at=at), at=at)
    lines = [
        queries.Line(
            "base",
            base.name_zh,
            plans,
            queries.money(base.value),
            queries.money(Decimal(str(base.value)) * plans),
            base.clause,
        )
    ]
    for code, (key, label, _per) in queries.SERVICES.items():
        quantity = _decimal(services.get(code), code, label, high=MAX_QUANTITY, whole=True)
        if quantity:
            entry = policy.lookup(key, at=at)
            lines.append(
                queries.Line(
                    code,
                    label,
                    quantity,
                    queries.money(entry.value),
                    queries.money(Decimal(str(entry.value)) * quantity),
                    entry.clause,
                )
            )
    total = sum((line.amount for line in lines), Decimal("0.00"))
    payments = queries.schedule(total, progress, at=at)
    assert sum(p.percent for p in payments) == 100 and sum(p.amount for p in payments) == total
    return lines, payments


def create_quote(actor: Actor, *, unit: Unit, client: str, headcount, **options) -> Quote:
    """FEE-1: a numbered quote for the client, for those who quote (fees.quote) in the unit's scope."""
    access.require_write(actor, queries.QUOTE)
    if not access.write_in_scope(actor, queries.QUOTE, unit=unit, owner_id=None):
        raise PermissionDenied("不在您的报价范围内", "Outside your quoting scope")
    client = str(client or "").strip()
    if not client or len(client) > 100:
        raise Invalid(
            "fee_client", "请填写客户单位名称（不超过 100 字）", "client is required", {"client": "required"}
        )
    now = clock.now()
    lines, payments = price(headcount=headcount, at=now, **options)
    version = policy.version_at(now).number
    total = sum((line.amount for line in lines), Decimal("0.00"))
    prefix = f"BJ-{clock.local(now):%Y%m%d}-"
    for _attempt in range(20):
        taken = Quote.objects.filter(number__startswith=prefix).count()
        number = f"{prefix}{taken + 1:03d}"
        try:
            with transaction.atomic():
                quote = Quote.objects.create(
                    number=number,
                    unit=unit,
                    client=client,
                    headcount=int(Decimal(str(headcount))),
                    table_version=str(version),
                    total=total,
                    created_by=actor.user,
                    created_at=now,
                )
                QuoteLine.objects.bulk_create(
                    [
                        QuoteLine(
                            quote=quote,
                            order=n,
                            code=line.code,
                            label=line.label,
                            quantity=line.quantity,
                            price=line.price,
                            amount=line.amount,
                        )
                        for n, line in enumerate(lines, start=1)
                    ]
                )
                QuotePayment.objects.bulk_create(
                    [
                        QuotePayment(quote=quote, order=n, label=p.label, percent=p.percent, amount=p.amount)
                        for n, p in enumerate(payments, start=1)
                    ]
                )
                audit.record(
                    actor,
                    "emergency.fees.quote",
                    quote,
                    after={"number": number, "total": str(total), "policy_version": version},
                )
            return quote
        except IntegrityError:
            continue
    raise Invalid("fee_number_busy", "报价单编号繁忙，请重试", "Try again", {})
