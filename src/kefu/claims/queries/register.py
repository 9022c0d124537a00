"""Read paths of 报备, always through the caller's data scope (CLM-1, CLM-8).

Who sees a claim: its owner; holders of `claim.view_owner` or `claim.manage` whose scope covers the
claim's unit. Anyone else gets 404. The pre-check (CLM-1) tells anyone who asks only whether the
customer is protected and until when; it names the owner only to the registers' keepers — holders of
`claim.manage` (行政部) whose scope covers the claim, who answer that question in seed 000 — and to the
owner themself (issue 13, docs/decisions.md). A supervisor's `claim.view_owner` opens the claims of
their scope, not the pre-check: a 案场负责人 registers customers too.
"""

from django.db.models import Case, Exists, F, OuterRef, Q, When

from kefu.claims.models import LIVE_STATES, Claim, CustomerChoice
from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.crypto import blind_index
from kefu.core.errors import NotFound, PermissionDenied
from kefu.customers.governance.queries import merged_customer_ids
from kefu.customers.models import Customer
from kefu.customers.queries import archive as customer_queries
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
    return protection(actor, phone)


def protection(actor: Actor, phone: str) -> dict:
    """CLM-1's answer for `phone`, whoever asks: protected or not and until when; the owner's name
    only for `may_see_owner`. Audited as a pre-check. The pre-check page and the caller's history on
    新建工单 (issue 13) both answer with it."""
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
    if claim is not None and may_see_owner(actor, claim):
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


def may_see_owner(actor: Actor, claim: Claim) -> bool:
    """CLM-1 ("员工不准私自翻阅他人报备"): who the pre-check tells who holds a claim — its owner, and the
    registers' keepers (claim.manage in scope: seed 000 has employees ask 行政部, which "查阅历史报备信息")."""
    employee = access.employee_of(actor.principal)
    if employee is not None and employee.pk == claim.owner_id:
        return True
    return access.record_in_scope(actor, "claim.manage", unit=claim.unit, owner_id=claim.owner_id)


def _customer_by_index(index: str):
    # no ORDER BY: with "ORDER BY pk LIMIT 1" PostgreSQL may walk the primary key over a million rows
    # for a phone nobody has, instead of probing the phone_index index
    return next(iter(Customer.objects.filter(phone_index=index).order_by()[:1]), None)


def with_customer_shown(actor: Actor, qs, claim: str = ""):
    """Claims (or rows whose claim is at `claim`, e.g. "claim__") with `shown_customer_id` and
    `shown_customer_name`: the archive's customer for a reader who may see it (customer.view in
    scope), else no id and the name as registered (issue 10)."""
    # one probe by key per row shown (issue 13): `customer_id IN (every customer in scope)` read the archive
    seen = Exists(customer_queries.customers(actor).filter(pk=OuterRef(f"{claim}customer_id")))
    return qs.annotate(
        shown_customer_id=Case(When(seen, then=F(f"{claim}customer_id")), default=None),
        shown_customer_name=Case(
            When(seen, then=F(f"{claim}customer__name")), default=F(f"{claim}registered_name")
        ),
    )


def visible(actor: Actor):
    """Every claim the actor may see (owner, or claim.view_owner / claim.manage in scope)."""
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
        qs = visible(actor)
    if state:
        qs = qs.filter(state=state)
    if department is not None:
        qs = qs.filter(unit__path__startswith=department.path)
    return qs


def registered(actor: Actor, claim: Claim) -> Claim:
    """The claim just registered as `claim()` shows it, from the objects in hand rather than read
    back (issue 11): the customer shown only to a reader who may see it (issue 10)."""
    seen = customer_queries.may_view(actor, claim.customer)
    claim.shown_customer_id = claim.customer_id if seen else None
    claim.shown_customer_name = claim.customer.name if seen else claim.registered_name
    return claim


def claim(actor: Actor, pk: int) -> Claim:
    found = visible(actor).filter(pk=pk).first()
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


def remaining(claim: Claim):
    """Time left in the protection period (zero when over) — for countdowns."""
    if claim.state not in LIVE_STATES:
        return None
    left = claim.protected_until - clock.now()
    return max(left, left * 0)


# --- customer governance support: the claims of customers merged into another (CUS-6) ---


def claim_history(actor: Actor, customer):
    """The claims the actor may see on the customer and on every customer merged into it (CUS-6, CUS-9)."""
    return visible(actor).filter(customer_id__in=merged_customer_ids(customer))


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


# ---------------------------------------------------------------- CLM-5 the customer's choices


def choices_of(customer):
    """The customer's recorded choices of salesperson, newest first (CLM-5)."""
    return CustomerChoice.objects.filter(customer=customer).select_related(
        "chosen", "recorded_by__employee", "used_by"
    )


def choices_for_claim(actor: Actor, claim_id: int):
    """The recorded choices of the customer of a claim the actor may see (404 otherwise)."""
    found = claim(actor, claim_id)
    return found, list(choices_of(found.customer))
