"""Read paths of 报备, always through the caller's data scope (CLM-1, CLM-8).

Who sees a claim: its owner; holders of `claim.view_owner` or `claim.manage` whose scope covers the
claim's unit. Anyone else gets 404. The pre-check (CLM-1) tells any registering employee only
whether the customer is protected and until when; the owner is added only for `claim.view_owner`
holders whose scope covers the claim.
"""

from django.db.models import Case, F, Q, When

from kefu.claims.models import LIVE_STATES, Claim, ClaimState, Dispute, ProcessReport
from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.crypto import blind_index
from kefu.core.errors import NotFound, PermissionDenied
from kefu.org import access
from kefu.org.models import Unit, UnitKind

CLAIM_RELATED = ("customer", "owner", "unit")


def live_claim_for(customer) -> Claim | None:
    """The customer's live claim (protected or under dispute), or None. Unscoped: for other apps'
    actions (customer governance) that must know whether a customer is claimed."""
    if customer is None or customer.pk is None:
        return None
    return (
        Claim.objects.filter(customer=customer, state__in=LIVE_STATES, protected_until__gt=clock.now())
        .select_related("owner")
        .first()
    )


def live_claim_by_index(index: str) -> Claim | None:
    return next(iter(Claim.objects.filter(phone_index=index, state__in=LIVE_STATES).order_by()[:1]), None)


def check(actor: Actor, phone: str) -> dict:
    """CLM-1: is the customer with this phone inside someone's protection period? Audited."""
    if not any(access.can(actor, code) for code in ("claim.register", "claim.view_owner", "claim.manage")):
        raise PermissionDenied("您没有报备查询权限", "You may not check claims", code="claim_check_forbidden")
    index = blind_index(phone or "")
    claim = next(
        iter(
            Claim.objects.filter(phone_index=index, state__in=LIVE_STATES, protected_until__gt=clock.now())
            .select_related("owner", "unit", "customer")
            .order_by()[:1]
        ),
        None,
    )
    result = {"protected": claim is not None, "until": claim.protected_until if claim else None}
    if claim is not None and access.record_in_scope(
        actor, "claim.view_owner", unit=claim.unit, owner_id=claim.owner_id
    ):
        result["owner"] = claim.owner.name
    customer = claim.customer if claim is not None else _customer_by_index(index)
    audit.record(
        actor,
        "claims.check",
        customer,
        object_type="" if customer else "claims.check",
        object_id="" if customer else index[:12],
        object_repr="" if customer else "未建档客户 / unknown customer",
        after={"phone_fingerprint": index[:12], "protected": result["protected"]},
    )
    return result


def _customer_by_index(index: str):
    from kefu.customers.models import Customer

    # no ORDER BY: with "ORDER BY pk LIMIT 1" PostgreSQL may walk the primary key over a million rows
    # for a phone nobody has, instead of probing the phone_index index
    return next(iter(Customer.objects.filter(phone_index=index).order_by()[:1]), None)


def with_customer_shown(actor: Actor, qs, claim: str = ""):
    """Claims (or rows whose claim is at `claim`, e.g. "claim__") with `shown_customer_id` and
    `shown_customer_name`: the archive's customer for a reader who may see it (customer.view in
    scope), else no id and the name as registered (issue 10)."""
    from kefu.customers.queries import customers

    seen = Q(**{f"{claim}customer_id__in": customers(actor).values("pk")})
    return qs.annotate(
        shown_customer_id=Case(When(seen, then=F(f"{claim}customer_id")), default=None),
        shown_customer_name=Case(
            When(seen, then=F(f"{claim}customer__name")), default=F(f"{claim}registered_name")
        ),
    )


def _visible(actor: Actor):
    employee = access.employee_of(actor.principal)
    q = Q(pk__in=[])
    if employee is not None:
        q |= Q(owner=employee)
    for code in ("claim.view_owner", "claim.manage"):
        scoped = access.scoped(Claim.objects.all(), actor, code, owner="owner_id")
        q |= Q(pk__in=scoped.values("pk"))
    return with_customer_shown(actor, Claim.objects.filter(q).select_related(*CLAIM_RELATED))


def claims(actor: Actor, *, mine: bool = False, state: str = "", department: Unit | None = None):
    if mine:
        employee = access.employee_of(actor.principal)
        qs = (
            with_customer_shown(actor, Claim.objects.filter(owner=employee).select_related(*CLAIM_RELATED))
            if employee
            else Claim.objects.none()
        )
    else:
        qs = _visible(actor)
    if state:
        qs = qs.filter(state=state)
    if department is not None:
        qs = qs.filter(unit__path__startswith=department.path)
    return qs


def registered(actor: Actor, claim: Claim) -> Claim:
    """The claim just registered as `claim()` shows it, from the objects in hand rather than read
    back (issue 11): the customer shown only to a reader who may see it (issue 10)."""
    from kefu.customers.queries import may_view

    seen = may_view(actor, claim.customer)
    claim.shown_customer_id = claim.customer_id if seen else None
    claim.shown_customer_name = claim.customer.name if seen else claim.registered_name
    return claim


def claim(actor: Actor, pk: int) -> Claim:
    found = _visible(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("报备", "claim")
    return found


def departments(actor: Actor):
    """CLM-8: the departments whose register the actor keeps (one register per department)."""
    return access.scoped(
        Unit.objects.filter(kind=UnitKind.DEPARTMENT, is_active=True), actor, "claim.manage", unit_path="path"
    ).order_by("path")


def department(actor: Actor, pk: int) -> Unit:
    found = departments(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("部门", "department")
    return found


def register_of(actor: Actor, dept: Unit):
    """CLM-8: the department's register — every claim registered by its people, newest first."""
    return with_customer_shown(
        actor,
        access.scoped(Claim.objects.all(), actor, "claim.manage")
        .filter(unit__path__startswith=dept.path)
        .select_related(*CLAIM_RELATED),
    )


def disputes(actor: Actor, *, open_only: bool = False):
    employee = access.employee_of(actor.principal)
    q = Q(pk__in=access.scoped(Dispute.objects.all(), actor, "claim.rule").values("pk"))
    if employee is not None:
        q |= Q(claimant=employee) | Q(claim__owner=employee)
    qs = Dispute.objects.filter(q).select_related(
        "claim__customer", "claim__owner", "claim__unit", "claimant", "unit"
    )
    qs = with_customer_shown(actor, qs, "claim__")
    return qs.filter(open=True) if open_only else qs


def dispute(actor: Actor, pk: int) -> Dispute:
    found = disputes(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("撞单争议", "dispute")
    return found


def challenger_only(actor: Actor, dispute: Dispute) -> bool:
    """Whether the reader sees the dispute only as its challenger: not the claim's owner, nor 行政部
    or a manager whose scope covers it (claim.rule, claim.manage, claim.view_owner)."""
    employee = access.employee_of(actor.principal)
    if employee is None or employee.pk != dispute.claimant_id or employee.pk == dispute.claim.owner_id:
        return False
    claim = dispute.claim
    return not any(
        access.record_in_scope(actor, code, unit=claim.unit, owner_id=claim.owner_id)
        for code in ("claim.rule", "claim.manage", "claim.view_owner")
    )


def dispute_shown(actor: Actor, dispute: Dispute) -> dict:
    """What the reader sees of a 撞单 dispute (CLM-1, CLM-6, issue 10). The challenger sees its state,
    the protected-until time (CLM-1 reveals it anyway), their own evidence and — once ruled — the
    ruling and the registered owner, whom an upheld claim obliges them to help ("无条件协助当事员工成交");
    never the customer as archived or registered, nor the owner's evidence before the ruling. The
    owner, 行政部 and managers in scope see everything."""
    hidden = challenger_only(actor, dispute)
    evidence = list(dispute.evidence.select_related("author"))
    if hidden and dispute.open:
        evidence = [e for e in evidence if e.party == "claimant"]
    return {
        "id": dispute.pk,
        "claim_id": dispute.claim_id,
        "open": dispute.open,
        "outcome": dispute.outcome,
        "outcome_label": dispute.get_outcome_display() if dispute.outcome else "",
        "ruling": dispute.ruling,
        "claimant": dispute.claimant.name,
        "claimant_registered": dispute.claimant_registered,
        "reason": dispute.reason,
        "raised_at": dispute.raised_at,
        "ruled_at": dispute.ruled_at,
        "owner": None if hidden and dispute.open else dispute.claim.owner.name,
        "customer_name": None if hidden else getattr(dispute, "shown_customer_name", None),
        "protected_until": dispute.claim.protected_until,
        "evidence": evidence,
        "challenger_only": hidden,
    }


def reports(actor: Actor):
    employee = access.employee_of(actor.principal)
    q = Q(pk__in=access.scoped(ProcessReport.objects.all(), actor, "claim.manage").values("pk"))
    if employee is not None:
        q |= Q(owner=employee) | Q(assignee=employee) | Q(owner__supervisors=employee)
    return ProcessReport.objects.filter(q).distinct().select_related("owner", "assignee", "unit")


def report(actor: Actor, pk: int) -> ProcessReport:
    found = reports(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("客户流程报备", "process report")
    return found


def remaining(claim: Claim):
    """Time left in the protection period (zero when over) — for countdowns."""
    if claim.state not in LIVE_STATES:
        return None
    left = claim.protected_until - clock.now()
    return max(left, left * 0)


__all__ = ["ClaimState", "check", "claim", "claims", "live_claim_for", "register_of"]


# --- customer governance support: the claims of customers merged into another (CUS-6) ---


def merged_customer_ids(customer) -> list[int]:
    """The customer's id and those of every customer merged into it, directly or through earlier
    merges (CUS-6: a merge keeps the claim history; the claims stay on the retired duplicate)."""
    from kefu.customers.models import Customer

    ids, frontier = [customer.pk], [customer.pk]
    while frontier:
        found = Customer.objects.filter(merged_into__in=frontier).values_list("pk", flat=True)
        frontier = [pk for pk in found if pk not in ids]
        ids.extend(frontier)
    return ids


def claim_history(actor: Actor, customer):
    """The claims the actor may see on the customer and on every customer merged into it (CUS-6, CUS-9)."""
    return _visible(actor).filter(customer_id__in=merged_customer_ids(customer))


def live_claim_in_merge_group(customer) -> Claim | None:
    """`live_claim_for`, looking also at the customers merged into this one. Unscoped, for the
    governance actions that must never let a merge move a protected customer to someone else."""
    if customer is None or customer.pk is None:
        return None
    return (
        Claim.objects.filter(
            customer_id__in=merged_customer_ids(customer),
            state__in=LIVE_STATES,
            protected_until__gt=clock.now(),
        )
        .select_related("owner")
        .first()
    )
