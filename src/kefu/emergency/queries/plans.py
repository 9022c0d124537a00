"""Read paths of emergency plans (EMG-1, EMG-3): the plans a person may see — through emergency.view
or emergency.plan.manage in scope, or as one of the staff the plan was distributed to — one plan by id
(404 outside), its versions, steps and acknowledgement counts, the confidential full text (only the
roles the version names; each read audited as a sensitive read), and `may(employee, plan, power)`."""

from django.db.models import Count, Max, Prefetch, Q

from kefu.core import audit
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound, PermissionDenied
from kefu.core.scopes import scope_q
from kefu.emergency.models import Distribution, Plan, PlanStep, PlanVersion, RevisionTask
from kefu.emergency.queries import bodies
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, RoleAssignment, Unit

VIEW = "emergency.view"
MANAGE = "emergency.plan.manage"
READERS = (VIEW, MANAGE)
ID_LIMIT = 2**31


def _id(pk) -> int:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return 0
    return pk if 0 < pk < ID_LIMIT else 0


def visible_q(actor: Actor) -> Q | None:
    """Plans in the scope of a reader permission, or distributed to the actor (the runbook card)."""
    grants = [g for code in READERS for g in access.grants(actor, code)]
    condition = scope_q(grants, unit_path="unit__path", owner=None)
    me = access.employee_of(actor.principal)
    if me is not None:
        mine = Q(pk__in=Distribution.objects.filter(employee_id=me.pk).values("version__plan_id"))
        condition = mine if condition is None else condition | mine
    return condition


def plans(actor: Actor):
    """The plans the actor sees with their current version number (3 statements with `counts`)."""
    condition = visible_q(actor)
    if condition is None:
        return Plan.objects.none()
    return (
        Plan.objects.filter(condition)
        .select_related("unit")
        .annotate(current_number=Max("versions__number"))
        .order_by("unit__path", "plan_type", "pk")
    )


def with_counts(rows: list[Plan]) -> list[Plan]:
    """Each plan's current version's distribution and acknowledgement counts (one statement)."""
    wanted = Q()
    for row in rows:
        wanted |= Q(version__plan_id=row.pk, version__number=row.current_number)
    counts = {}
    if rows:
        counts = {
            r["version__plan_id"]: r
            for r in Distribution.objects.filter(wanted)
            .values("version__plan_id")
            .annotate(total=Count("pk"), acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)))
        }
    for row in rows:
        found = counts.get(row.pk, {})
        row.sent, row.acknowledged = found.get("total", 0), found.get("acknowledged", 0)
    return rows


def plan(actor: Actor, pk) -> Plan:
    condition = visible_q(actor)
    found = None
    if condition is not None and _id(pk):
        found = (
            Plan.objects.filter(pk__in=Plan.objects.filter(condition, pk=_id(pk)).values("pk"))
            .select_related("unit")
            .first()
        )
    if found is None:
        raise NotFound("应急预案", "emergency plan")
    return found


def versions(plan: Plan) -> list[PlanVersion]:
    """Every version, newest first, with its counts (full text deferred: it is read only when asked)."""
    return list(
        plan.versions.defer("full_text")
        .select_related("created_by")
        .annotate(
            sent=Count("distribution", distinct=True),
            acknowledged=Count(
                "distribution", filter=Q(distribution__acknowledged_at__isnull=False), distinct=True
            ),
        )
        .order_by("-number")
    )


def current(plan: Plan) -> PlanVersion | None:
    return (
        plan.versions.defer("full_text")
        .prefetch_related(Prefetch("steps", queryset=PlanStep.objects.order_by("position")))
        .order_by("-number")
        .first()
    )


def version(actor: Actor, pk) -> PlanVersion:
    found = (
        PlanVersion.objects.filter(pk=_id(pk)).defer("full_text").select_related("plan").first()
        if _id(pk)
        else None
    )
    if found is None:
        raise NotFound("预案版本", "plan version")
    plan(actor, found.plan_id)
    return found


def my_distribution(actor: Actor, version: PlanVersion) -> Distribution | None:
    me = access.employee_of(actor.principal)
    if me is None:
        return None
    return Distribution.objects.filter(version_id=version.pk, employee_id=me.pk).first()


def acknowledgements(version: PlanVersion) -> list[Distribution]:
    return list(
        Distribution.objects.filter(version_id=version.pk)
        .select_related("employee__unit")
        .order_by("acknowledged_at", "employee__number")
    )


def role_codes(employee: Employee | None) -> set[str]:
    if employee is None:
        return set()
    return set(RoleAssignment.objects.filter(employee_id=employee.pk).values_list("role__code", flat=True))


def may_read_full(actor: Actor, version: PlanVersion) -> bool:
    """EMG-1: the confidential full text is for the roles the version names (the plan visible too)."""
    me = access.employee_of(actor.principal)
    return bool(role_codes(me) & set(version.reader_roles or []))


def full_text(actor: Actor, version: PlanVersion, *, purpose: str) -> str:
    """EMG-1: the confidential full text for a named role; each read audited (SEC-5); others refused."""
    plan(actor, version.plan_id)
    if not may_read_full(actor, version):
        raise PermissionDenied(
            "预案全文为保密内容，只有预案指定的角色可以查阅",
            "Only the roles the plan names may read its full text",
            code="emergency_full_text",
        )
    text = PlanVersion.objects.only("full_text").get(pk=version.pk).full_text
    audit.record_read(actor, version, fields=["full_text"], purpose=purpose)
    return text


def revisions(plan: Plan) -> list[RevisionTask]:
    return list(plan.revisions.select_related("owner").order_by("done_at", "due_on", "pk"))


def revision(actor: Actor, pk) -> RevisionTask:
    found = RevisionTask.objects.filter(pk=_id(pk)).select_related("plan__unit").first() if _id(pk) else None
    if found is None:
        raise NotFound("预案修订任务", "revision task")
    plan(actor, found.plan_id)
    return found


def may_manage(actor: Actor, plan: Plan) -> bool:
    return access.may_write(actor, MANAGE, unit=plan.unit, owner_id=None)


def may(employee: Employee, plan: Plan, power: str) -> bool:
    """EMG-3: whether `employee` may use `power` (activate, set_level, publish, lift) under the plan's
    current version — they fill (now: holder, deputy on leave, delegate) one of the slots it names."""
    if employee is None:
        return False
    latest = plan.versions.only("powers").order_by("-number").first()
    if latest is None:
        return False
    for key in (latest.powers or {}).get(power, []):
        slot = bodies.slot_for(plan.unit, key)
        if slot is not None and getattr(bodies.holder_now(slot).employee, "pk", None) == employee.pk:
            return True
    return False


def staff_of(unit: Unit) -> list[int]:
    """Active employees of the unit and below: the plan's distribution list (EMG-1)."""
    return list(
        Employee.objects.filter(status=EmploymentStatus.ACTIVE, unit__path__startswith=unit.path)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def unit_named(value, field: str) -> Unit:
    found = Unit.objects.filter(pk=_id(value)).first() if _id(value) else None
    if found is None:
        raise Invalid("unit_unknown", "所选单位不存在", "Unknown unit", {field: "unknown"})
    return found


def employee_named(value, field: str) -> Employee:
    found = (
        Employee.objects.filter(pk=_id(value), status=EmploymentStatus.ACTIVE).select_related("unit").first()
        if _id(value)
        else None
    )
    if found is None:
        raise Invalid("employee_unknown", "人员不存在或已离职", "No such active employee", {field: "unknown"})
    return found
