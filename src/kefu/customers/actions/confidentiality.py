"""SEC-3 保密期限: the default confidentiality period and automatic declassification.

A building block of `archive` and `blocks` (the default period of a new or re-classified customer)
and the worker's sweep; the same rules apply (write, history, decision record, audit, in the
caller's transaction). "应当依据本制度的相关规定标明密级,并确定保密期限,保密期限届满,自行解密"
[004 篇二 §7.2.4]: a classified customer always has a period. When a 密级 is set without one, the period
is `customers.confidentiality_period` (policy pack, at the customer's creation, with its
subsidiary's override) counted from the day the level was set; the day after it ends, the worker's
sweep declassifies the customer.
"""

from datetime import date, datetime

from django.db import transaction

from kefu.core import audit, bulk, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Invalid
from kefu.customers.models import Confidentiality, Customer, CustomerChange, Novelty, Tier
from kefu.engine.policy.api import lookup

PERIOD_KEY = "customers.confidentiality_period"
# the rule of declassification itself (no number: the period is the pack's, a default the seeds do not give)
DECLASSIFY_CLAUSE = "保密期限届满,自行解密"
DECLASSIFY_SOURCE = "004 · 客户服务管理制度(最新5篇) · 篇二"
SYSTEM = Actor.system("customers")
# "为什么" reads the archive's inputs in words (issue 13)
decisions.describe(
    inputs={
        "level": ("密级", "confidentiality"),
        "novelty": ("新客户/重要客户", "new or important"),
        "standard": ("客户分类管理标准", "grading standard"),
    },
    values={
        "level": Confidentiality.choices,
        "confidentiality": Confidentiality.choices,
        "tier": Tier.choices,
        "novelty": Novelty.choices,
    },
)


def check_period(customer: Customer) -> None:
    """SEC-3: an explicit 保密期限 of a classified customer may not lie in the past."""
    until = customer.confidential_until
    if customer.confidentiality != Confidentiality.NONE and until is not None and until < clock.today():
        raise Invalid(
            "SEC-3.period_past",
            "SEC-3：保密期限不能早于今天（留空则按默认保密期限）",
            "SEC-3: the confidentiality period cannot end before today (leave it empty for the default)",
            {"confidential_until": "SEC-3"},
        )


def needs_default(customer: Customer, *, level_changed: bool = False) -> bool:
    """A classified customer without a period — or re-classified after its period ended — gets the default."""
    if customer.confidentiality == Confidentiality.NONE:
        return False
    until = customer.confidential_until
    return until is None or (level_changed and until < clock.today())


def apply_default(customer: Customer, start: datetime):
    """Set the default 保密期限 from `start` (not saved); returns the policy entry applied."""
    entry = lookup(PERIOD_KEY, at=customer.created_at, unit=customer.unit)
    customer.confidential_until = clock.local(entry.due(start)).date()
    return entry


def record_default(customer: Customer, entry, start: datetime, actor: Actor | None) -> None:
    """The decision record of a default period: the "为什么" panel shows the period marked 本系统默认值."""
    decisions.record_from_entry(
        customer,
        entry,
        outcome=(
            f"默认保密期限至 {customer.confidential_until:%Y-%m-%d}"
            f" / default confidentiality period until {customer.confidential_until:%Y-%m-%d}"
        ),
        inputs={
            "level": customer.confidentiality,
            "from": clock.local(start).date(),
            "confidential_until": customer.confidential_until,
        },
        actor=actor if actor is not None and not actor.is_system else None,
    )


def _system_change(customer: Customer, field: str, old, new, action: str, now: datetime) -> None:
    """Field history (CUS-4) and the audit event of a change the sweep made."""
    CustomerChange.objects.create(
        customer=customer,
        field=field,
        old="" if old is None else str(old),
        new="" if new is None else str(new),
        changed_at=now,
    )
    audit.record(SYSTEM, action, customer, before={field: old}, after={field: new})


PER_RUN = 500  # customers backfilled, and declassified, per sweep run at most


def _backfill_batch(now: datetime, limit: int) -> int:
    """Classified customers kept from before the default existed get it, counted from their creation.
    One bounded batch (issue 11), in its own transaction."""
    done = 0
    budget = bulk.Budget()
    with transaction.atomic():
        missing = (
            Customer.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("unit")
            .filter(confidential_until__isnull=True, destroyed_at__isnull=True)
            .exclude(confidentiality=Confidentiality.NONE)[: min(limit, budget.rows)]
        )
        for customer in missing:
            if not budget.more(done):
                break
            entry = apply_default(customer, customer.created_at)
            customer.save(update_fields=["confidential_until"])
            until = customer.confidential_until
            _system_change(
                customer, "confidential_until", None, until, "customer.confidentiality_period", now
            )
            record_default(customer, entry, customer.created_at, None)
            done += 1
    return done


def _declassify_batch(now: datetime, today: date, limit: int) -> int:
    done = 0
    budget = bulk.Budget()
    with transaction.atomic():
        due = list(
            Customer.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("unit")
            .filter(confidential_until__lt=today)
            .exclude(confidentiality=Confidentiality.NONE)[: min(limit, budget.rows)]
        )
        for customer in due:
            if not budget.more(done):
                break
            before = customer.confidentiality
            customer.confidentiality = Confidentiality.NONE
            customer.save(update_fields=["confidentiality"])
            _system_change(
                customer, "confidentiality", before, Confidentiality.NONE, "customer.declassify", now
            )
            entry = lookup(PERIOD_KEY, at=customer.created_at, unit=customer.unit)
            decisions.record(
                customer,
                rule="SEC-3",
                outcome="保密期限届满，已解密 / declassified",
                inputs={
                    "level": before,
                    "confidential_until": customer.confidential_until,
                    "checked_on": today,
                },
                policy_version=entry.version,
                clause=DECLASSIFY_CLAUSE,
                source=DECLASSIFY_SOURCE,
                actor=None,
            )
            done += 1
    return done


def _in_batches(step) -> int:
    """Run `step(limit)` batch after batch (pausing between them) until it does nothing or PER_RUN."""
    total = 0
    while total < PER_RUN:
        count = step(PER_RUN - total)
        total += count
        if not count:
            break
        bulk.pause()
    return total


def declassify_due(now: datetime | None = None) -> int:
    """SEC-3 sweep: give classified customers without a period the default one, then declassify every
    customer whose 保密期限 has passed; one decision record each. Returns how many were declassified.
    At most PER_RUN of each per run, in bounded batches of their own transaction (issue 11)."""
    now = now or clock.now()
    today = clock.local(now).date()
    _in_batches(lambda limit: _backfill_batch(now, limit))
    return _in_batches(lambda limit: _declassify_batch(now, today, limit))
