"""The only functions that change 报备 state (CLM-2…CLM-10).

Registration (CLM-2, CLM-4): validate the customer's name, phone and address; find the customer by
the phone's blind index in the registrant's subsidiary's archive, or create it there through the
customer archive's action; then INSERT the claim. The name as given is kept on the claim: a reader
who may not see the archive record is shown that, never the record (issue 10).
"At most one live claim per customer" is a partial unique index (on the customer and on the phone's
blind index): a concurrent loser's INSERT fails with IntegrityError, its whole transaction (the
customer it may have created included) rolls back, and it is told `claim_protected` with the
protected-until time — never who holds the claim (CLM-1).

Protection (CLM-3) comes from the policy pack at the registration's time: walk-in prospects
`claims.walk_in_protection` from the registration; a deposit `claims.deposit_protection` counted
from the day the deposit is recorded (the seed: "已缴纳定金客户报备有效期为90天" — the deposit starts the
90-day period). Expiry (CLM-5) is the engine timer `expiry`. The CLM-10 reminder is the claim's
own `remind_at` (`protected_until − claims.expiry_reminder_before`), sent by the `remind_due` sweep
with its own message and decision record, so the claim's "why" panel says when the owner was told.
"""

import dataclasses

from django.db import IntegrityError, transaction

from kefu.claims.lifecycle import EXPIRY
from kefu.claims.models import LIVE_STATES, Claim, ClaimKind, ClaimState, CustomerChoice
from kefu.claims.queries import register as queries
from kefu.claims.queries.people import require_colleague
from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.crypto import blind_index, normalise_phone
from kefu.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from kefu.customers.actions import archive as customer_actions
from kefu.customers.queries import archive as customer_queries
from kefu.engine.notifications.api import notify
from kefu.engine.policy.api import lookup
from kefu.engine.workflow import api as workflow
from kefu.org import access

PROTECTION_KEY = {
    ClaimKind.WALK_IN: "claims.walk_in_protection",
    ClaimKind.DEPOSIT: "claims.deposit_protection",
}
REMINDER_KEY = "claims.expiry_reminder_before"
GRAB_CLAUSE = "若原跟单人员还在跟进情况下,由客户自愿选择,禁止抢单行为"
ADDRESS_MIN = 4  # characters: "填写详细" — a street or community name, not just a city
SYSTEM = Actor.system("claims")
# "为什么" reads a registration's inputs in words (issue 13)
decisions.describe(
    inputs={
        "counted_from": ("起算", "counted from"),
        "customer_choice": ("客户选择记录", "customer's choice"),
        "remind_at": ("提醒时间", "reminder at"),
        "sent_at": ("发送时间", "sent at"),
    },
    values={"kind": ClaimKind.choices, "counted_from": {"deposit": ("交定金之日", "the deposit")}},
)


def employee_or_refuse(actor: Actor):
    employee = access.employee_of(actor.principal)
    if employee is None:
        raise PermissionDenied(
            "只有员工可以报备", "Only employees can register customers", code="claim_not_employee"
        )
    return employee


def protected_conflict(until) -> Conflict:
    when = clock.local(until).strftime("%Y-%m-%d %H:%M") if until else ""
    return Conflict(
        "claim_protected",
        f"该客户在其他员工的保护期内，保护至 {when}（CLM-1、CLM-4）",
        f"This customer is protected by another employee's claim until {when} (CLM-1, CLM-4)",
        until=until.isoformat() if until else None,
        rule="CLM-4",
    )


def validate_customer(data: dict) -> dict:
    """CLM-2: name, phone and address must be given in full."""
    name = (data.get("name") or "").strip()
    phone = (data.get("phone") or "").strip()
    address = (data.get("address") or "").strip()
    fields = {}
    if not name:
        fields["name"] = "客户名字必填 / name is required"
    digits = normalise_phone(phone)
    if not 7 <= len(digits) <= 15:
        fields["phone"] = "请填写完整的电话号码 / a full phone number is required"
    if len(address) < ADDRESS_MIN:
        fields["address"] = "请详细填写地址 / the address must be given in full"
    if fields:
        raise Invalid(
            "claim_incomplete",
            "有效报备须详细填写客户名字、电话、地址（CLM-2）",
            "A valid registration needs the customer's name, phone and address in full (CLM-2)",
            fields,
        )
    return {**data, "name": name, "phone": phone, "address": address}


def _remind_at(protected_until, registered_at, unit):
    """When the CLM-10 reminder comes: that long before the protection ends, unless already past."""
    remind = protected_until - lookup(REMINDER_KEY, at=registered_at, unit=unit).duration()
    return remind if remind > clock.now() else None


def _start_expiry(claim: Claim, key: str, start, unit, *, fresh: bool = False) -> None:
    """(Re)start the expiry timer from `start` with `key`, and plan the CLM-10 reminder before it.
    `fresh`: the claim was created in this transaction with its reminder set (one INSERT)."""
    workflow.start(claim, dataclasses.replace(EXPIRY, policy_key=key), unit=unit, at=start, fresh=fresh)
    if not fresh:
        claim.remind_at = _remind_at(claim.protected_until, claim.registered_at, unit)
        claim.save(update_fields=["remind_at"])


def end_if_lapsed(claim: Claim) -> bool:
    """A live claim whose period has passed but whose timer has not fired yet ends now (CLM-5)."""
    if claim.state == ClaimState.LIVE and claim.protected_until <= clock.now():
        entry = lookup(PROTECTION_KEY[claim.kind], at=claim.registered_at, unit=claim.unit)
        decisions.record_from_entry(
            claim,
            entry,
            outcome="保护期届满 → 已过期 / protection ended → expired",
            inputs={"protected_until": claim.protected_until, "checked_at": clock.now()},
        )
        workflow.transition(SYSTEM, claim, "expire", reason="保护期届满 / protection period over")
        workflow.stop(claim, ["expiry"])
        return True
    return False


def _one(queryset):
    """The single row of a unique lookup, without ORDER BY (which can make PostgreSQL scan by pk)."""
    return next(iter(queryset.order_by()[:1]), None)


def _find_customer(phone: str, unit):
    """The registrant's subsidiary's customer with this phone (issue 10: another subsidiary's archive
    is never searched — its customer is neither claimed nor revealed; a new record is made instead)."""
    return customer_queries.find_by_phone(phone, within=unit)


def _create_customer(actor: Actor, data: dict, employee):
    extra = {k: v for k, v in data.items() if k not in ("name", "phone", "address", "kind")}
    return customer_actions.create_customer(
        actor,
        name=data["name"],
        phone=data["phone"],
        address=data["address"],
        kind=data.get("kind") or "person",
        unit=employee.unit,
        owner=employee,
        **extra,
    )


def register(actor: Actor, *, customer: dict, kind: str = ClaimKind.WALK_IN, note: str = "") -> Claim:
    """Register (报备) a customer for the acting employee (CLM-2, CLM-3, CLM-4, CLM-5)."""
    access.require(actor, "claim.register")
    employee = employee_or_refuse(actor)
    if kind not in ClaimKind.values:
        raise Invalid("claim_kind", "报备类型无效", "Unknown claim kind", {"kind": "walk_in | deposit"})
    data = validate_customer(customer)
    index = blind_index(data["phone"])
    try:
        return _register(actor, employee, data, index, kind, note)
    except IntegrityError:
        winner = queries.live_claim_by_index(index)
        raise protected_conflict(winner.protected_until if winner else None) from None


def _register(actor, employee, data, index, kind, note) -> Claim:
    now = clock.now()
    # the customer's SEC-3 and CUS-2 decisions and the CLM-3 one in one INSERT (issue 11)
    with transaction.atomic(), decisions.batch():
        current = _one(
            Claim.objects.select_for_update(of=("self",)).filter(phone_index=index, state__in=LIVE_STATES)
        )
        if current is not None and not end_if_lapsed(current):
            raise protected_conflict(current.protected_until)
        found = _find_customer(data["phone"], employee.unit)
        if found is not None:
            current = _one(
                Claim.objects.select_for_update(of=("self",)).filter(customer=found, state__in=LIVE_STATES)
            )
            if current is not None and not end_if_lapsed(current):
                raise protected_conflict(current.protected_until)
            choice = CustomerChoice.objects.filter(customer=found, used_by__isnull=True).first()
            if choice is not None and choice.chosen_id != employee.pk:
                raise Conflict(
                    "claim_grab_refused",
                    f"客户已自愿选择其他跟单人员，禁止抢单（CLM-5：{GRAB_CLAUSE}）",
                    f"The customer chose another employee; grabbing the customer is refused (CLM-5: {GRAB_CLAUSE})",
                    rule="CLM-5",
                    clause=GRAB_CLAUSE,
                )
        else:
            choice = None
        customer = found or _create_customer(actor, data, employee)
        entry = lookup(PROTECTION_KEY[kind], at=now, unit=employee.unit)
        protected_until = entry.due(now)
        claim = Claim.objects.create(
            customer=customer,
            registered_name=data["name"][:200],
            phone_index=index,
            owner=employee,
            unit=employee.unit,
            kind=kind,
            state=ClaimState.LIVE,
            registered_at=now,
            protected_until=protected_until,
            remind_at=_remind_at(protected_until, now, employee.unit),
            deposit_at=now if kind == ClaimKind.DEPOSIT else None,
            policy_version=entry.version,
            note=(note or "")[:500],
        )
        if choice is not None:
            choice.used_by = claim
            choice.save(update_fields=["used_by"])
        _start_expiry(claim, entry.key, now, employee.unit, fresh=True)
        until = f"{clock.local(claim.protected_until):%Y-%m-%d %H:%M}"
        decisions.record_from_entry(
            claim,
            entry,
            outcome=f"保护至 {until} / protected until {until}",
            inputs={"kind": kind, "registered_at": now, "customer_choice": choice.pk if choice else None},
            actor=actor,
        )
        audit.record(
            actor,
            "claims.register",
            claim,
            after={
                "customer": customer.pk,
                "owner": employee.pk,
                "kind": kind,
                "protected_until": claim.protected_until,
                "phone_fingerprint": index[:12],
            },
        )
    return claim


def _require_owner_or_manager(actor: Actor, claim: Claim) -> None:
    employee = access.employee_of(actor.principal)
    if employee is not None and employee.pk == claim.owner_id:
        return
    if access.record_in_scope(actor, "claim.manage", unit=claim.unit, owner_id=None):
        return
    raise NotFound("报备", "claim")


def record_deposit(actor: Actor, claim: Claim) -> Claim:
    """CLM-3: a deposit turns a live walk-in claim into a deposit claim protected from the deposit."""
    _require_owner_or_manager(actor, claim)
    now = clock.now()
    with transaction.atomic():
        claim = Claim.objects.select_for_update(of=("self",)).select_related("unit").get(pk=claim.pk)
        if claim.state != ClaimState.LIVE or end_if_lapsed(claim):
            raise Conflict(
                "claim_not_live",
                "只有保护中的报备可以登记定金（CLM-3）",
                "Only a protected claim can take a deposit (CLM-3)",
                state=claim.state,
            )
        if claim.kind == ClaimKind.DEPOSIT:
            raise Conflict(
                "claim_deposit_recorded",
                "该报备已登记定金",
                "A deposit is already recorded",
                state=claim.state,
            )
        entry = lookup(PROTECTION_KEY[ClaimKind.DEPOSIT], at=claim.registered_at, unit=claim.unit)
        before = {"kind": claim.kind, "protected_until": claim.protected_until}
        claim.kind = ClaimKind.DEPOSIT
        claim.deposit_at = now
        claim.protected_until = max(entry.due(now), claim.protected_until)
        claim.save(update_fields=["kind", "deposit_at", "protected_until"])
        _start_expiry(claim, entry.key, now, claim.unit)
        until = f"{clock.local(claim.protected_until):%Y-%m-%d %H:%M}"
        decisions.record_from_entry(
            claim,
            entry,
            outcome=f"已登记定金 → 保护至 {until} / deposit recorded → protected until {until}",
            inputs={"deposit_at": now, "counted_from": "deposit"},
            actor=actor,
        )
        audit.record(
            actor,
            "claims.deposit",
            claim,
            before=before,
            after={"kind": claim.kind, "protected_until": claim.protected_until, "deposit_at": now},
        )
    return claim


def end_now(actor: Actor, claim: Claim, *, reason: str, release: bool = False) -> Claim:
    """行政部 ends a protection before its time (`expire_now`) or releases the customer (`release`)."""
    if not (reason or "").strip():
        raise Invalid("claim_reason_required", "请填写理由", "A reason is required", {"reason": "required"})
    if not access.record_in_scope(actor, "claim.manage", unit=claim.unit, owner_id=None):
        raise NotFound("报备", "claim")
    return workflow.transition(actor, claim, "release" if release else "expire_now", reason=reason)


def record_choice(actor: Actor, customer, *, chosen, evidence: str) -> CustomerChoice:
    """CLM-5: after expiry, the customer's own choice of employee is recorded by 行政部."""
    if not access.record_in_scope(actor, "claim.manage", unit=customer.unit, owner_id=None):
        raise PermissionDenied(
            "只有行政部可以登记客户的选择", "Only the admin office records a customer's choice"
        )
    if not (evidence or "").strip():
        raise Invalid(
            "claim_evidence_required", "请填写依据", "Evidence is required", {"evidence": "required"}
        )
    require_colleague(customer.unit, chosen, "chosen_id")  # issue 10: never someone of another company
    with transaction.atomic():
        live = (
            Claim.objects.select_for_update(of=("self",))
            .filter(customer=customer, state__in=LIVE_STATES)
            .first()
        )
        if live is not None and not end_if_lapsed(live):
            raise protected_conflict(live.protected_until)
        CustomerChoice.objects.filter(customer=customer, used_by__isnull=True).delete()
        choice = CustomerChoice.objects.create(
            customer=customer,
            chosen=chosen,
            evidence=evidence.strip(),
            recorded_by=actor.user,
            recorded_at=clock.now(),
        )
        decisions.record(
            customer,
            rule="CLM-5",
            outcome=(
                f"客户选择由 {chosen.name} 跟进，他人不得报备（禁止抢单）"
                f" / customer chose {chosen.name}; others may not register"
            ),
            inputs={"chosen": chosen.name, "evidence": choice.evidence},
            policy_version=None,
            clause=GRAB_CLAUSE,
            actor=actor,
            source="000 · (完整版)客户报备制度",
        )
        audit.record(
            actor, "claims.customer_choice", customer, after={"chosen": chosen.pk, "choice": choice.pk}
        )
    return choice


# ---------------------------------------------------------------- CLM-10 reminder before expiry


def remind_due(now=None, *, batch: int = 200) -> int:
    """Sweep (CLM-10): tell each owner whose protection ends within `claims.expiry_reminder_before`.

    Exactly once per protection period: the claim row is locked (`skip_locked` on PostgreSQL) and
    its `remind_at` cleared in the same transaction as the notification and the decision record; a
    deposit that extends the period plans a new reminder. Returns how many owners were told.
    """
    now = now or clock.now()
    sent = 0
    while True:
        with transaction.atomic():
            due = list(
                Claim.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("owner__user", "customer", "unit")
                .filter(remind_at__lte=now)
                .order_by("remind_at")[:batch]
            )
            for claim in due:
                remind_at, claim.remind_at = claim.remind_at, None
                claim.save(update_fields=["remind_at"])
                if claim.state not in LIVE_STATES or claim.protected_until <= now:
                    continue  # ended meanwhile, or the expiry itself comes first: nothing to remind of
                entry = lookup(REMINDER_KEY, at=claim.registered_at, unit=claim.unit)
                until = clock.local(claim.protected_until)
                notify(
                    [claim.owner.user],
                    "claims.expiry_reminder",
                    {
                        "customer": claim.registered_name or claim.customer.name,
                        "protected_until": until,
                        "lead": entry.display("zh-hans"),
                        "lead_en": entry.display("en"),
                        "rule": entry.rule,
                    },
                    obj=claim,
                )
                decisions.record_from_entry(
                    claim,
                    entry,
                    outcome=(
                        f"已提醒报备人：保护期于 {until:%Y-%m-%d %H:%M} 届满"
                        f" / owner reminded: protection ends {until:%Y-%m-%d %H:%M}"
                    ),
                    inputs={"protected_until": claim.protected_until, "remind_at": remind_at, "sent_at": now},
                )
                audit.record(
                    SYSTEM,
                    "claims.expiry_reminder",
                    claim,
                    before={"remind_at": remind_at},
                    after={"remind_at": None, "owner": claim.owner_id},
                )
                sent += 1
        if len(due) < batch:
            return sent
