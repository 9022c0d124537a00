"""Read paths of appraisal (APR-1): the scheme in use, how a KPI value becomes item points, totals and
ranking, and the rounds, results and coaching plans a reader may see.

**KPI → points** (`kpi_points`, the one place): an item earns 0–100 points.
- higher is better (satisfaction …): value ≥ target → 100; else 100 × value / target;
- lower is better (complaint rate, first response …): value ≤ target → 100; else 100 × target / value
  (a target of 0 missed → 0);
- no data (no case, no inspection in the period) or no target in the pack → the item is left out
  (`excluded`) and the other items' weights are renormalised: total = Σ weight × points / Σ weight of
  the items scored. The QA item takes the period's average inspection score (0–100) as its points.
Points and totals are rounded half up to one decimal.

Visibility: a round and every result in it are read under `appraisal.view` over the round's unit
(managers, supervisors, HR, leaders); a person holding only their own records reads their own result,
and only once the round is published. Coaching plans: the person, their coach, and `appraisal.view`
over the person's unit.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.engine.policy import api as policy
from kefu.insights.queries import kpis
from kefu.org import access
from kefu.quality.models import (
    AppraisalResult,
    AppraisalRound,
    AppraisalScheme,
    AppraisalScore,
    CoachingPlan,
    CoachingState,
    RoundState,
)

VIEW = "appraisal.view"
MANAGE = "appraisal.manage"
THRESHOLD = "appraisal.coaching_below"
OUTSTANDING = "appraisal.outstanding_count"
PENALTY_AFTER = "appraisal.coaching_rounds_before_penalty"
HUNDRED = Decimal(100)
TENTH = Decimal("0.1")

# the clauses the results quote (APR-1)
SCHEME_CLAUSE = "公司客服部设置月度和季度绩效考核,定期评选优秀员工"  # 001 · 机制方案初稿 第十二条
COACHING_CLAUSE = "对服务质量不达标、客户满意度低的员工进行培训和辅导,直至达到要求"  # 004 第二十三条


def _round1(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def kpi_points(value, target, better: str) -> Decimal | None:
    """APR-1: the points (0–100) a KPI value earns against its target; None = no data or no target
    (the item is left out and the weights renormalised). See the module docstring."""
    if value is None or target is None:
        return None
    value, target = Decimal(str(value)), Decimal(str(target))
    if better == "lower":
        if value <= target:
            return HUNDRED
        return _round1(HUNDRED * target / value) if target > 0 else Decimal(0)
    if value >= target:
        return HUNDRED
    return _round1(HUNDRED * value / target) if target > 0 else HUNDRED


def total(rows: list[tuple[int, Decimal | None]]) -> Decimal | None:
    """(weight, points or None) → the weighted total out of 100 over the items with points; None when
    no item has points."""
    scored = [(w, p) for w, p in rows if p is not None and w > 0]
    weights = sum(w for w, _p in scored)
    if not weights:
        return None
    return _round1(sum(Decimal(w) * p for w, p in scored) / Decimal(weights))


@dataclass(frozen=True)
class Ranked:
    result_id: int
    total: Decimal
    rank: int
    tied: bool
    outstanding: bool
    below: bool


def rank(totals: list[tuple[int, Decimal]], *, outstanding: int, threshold: Decimal) -> list[Ranked]:
    """APR-1 ranking: by total, highest first; equal totals share a rank (1, 1, 3 …). The outstanding
    are those ranked within the first `outstanding` places — everyone tied at the last place counts —
    who are not below the coaching threshold."""
    ordered = sorted(totals, key=lambda r: (-r[1], r[0]))
    counts: dict[Decimal, int] = {}
    for _rid, value in ordered:
        counts[value] = counts.get(value, 0) + 1
    out, place = [], 0
    for n, (result_id, value) in enumerate(ordered):
        if n == 0 or value != ordered[n - 1][1]:
            place = n + 1
        below = value < threshold
        out.append(
            Ranked(result_id, value, place, counts[value] > 1, place <= outstanding and not below, below)
        )
    return out


def tie_text(result: AppraisalResult, round_: AppraisalRound) -> str:
    """Why a tied result has its rank (shown beside it)."""
    if not result.tied or result.rank is None:
        return ""
    text = _("Same total as another person: tied at place %(rank)s.") % {"rank": result.rank}
    if result.outstanding and round_.outstanding_count and result.rank <= round_.outstanding_count:
        text += " " + _("%(count)s outstanding per round; everyone tied at that place is named.") % {
            "count": round_.outstanding_count
        }
    return text


# ---- schemes -----------------------------------------------------------------------------------------


def current_scheme(unit, period_kind: str) -> AppraisalScheme | None:
    """The active scheme of the unit's subsidiary for the period kind, else the group default."""
    subsidiary = policy.subsidiary_of(unit) if unit is not None else None
    schemes = AppraisalScheme.objects.filter(active=True, period_kind=period_kind)
    found = schemes.filter(unit=subsidiary).first() if subsidiary is not None else None
    return found or schemes.filter(unit__isnull=True).first()


def schemes(actor: Actor):
    """Every scheme version the reader manages (their subsidiary's and the group default's)."""
    if not access.can(actor, MANAGE):
        return AppraisalScheme.objects.none()
    scoped = access.scoped(AppraisalScheme.objects.filter(unit__isnull=False), actor, MANAGE).values("pk")
    return (
        AppraisalScheme.objects.filter(Q(unit__isnull=True) | Q(pk__in=scoped))
        .select_related("unit")
        .prefetch_related("items")
        .order_by("unit_id", "period_kind", "-version")
    )


def period_of(round_: AppraisalRound) -> kpis.Period:
    return kpis.Period(round_.period_kind, round_.period_start, round_.period_end)


# ---- rounds and results ------------------------------------------------------------------------------


def rounds(actor: Actor):
    """The rounds of the units the reader sees under `appraisal.view` (not "own" grants)."""
    return access.scoped(AppraisalRound.objects.all(), actor, VIEW).select_related("unit", "scheme")


def round_(actor: Actor, pk: int) -> AppraisalRound:
    found = rounds(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("考核", "appraisal round")
    return found


def may_manage(actor: Actor, round_: AppraisalRound) -> bool:
    return access.may_write(actor, MANAGE, unit=round_.unit, owner_id=None)


def results(round_: AppraisalRound) -> list[AppraisalResult]:
    """The results of a round (read after `round_`, which checked the scope) with their scores."""
    return list(
        round_.results.select_related("employee", "unit")
        .prefetch_related("scores__item")
        .order_by("rank", "employee__name", "pk")
    )


def my_results(actor: Actor):
    """The reader's own published results, newest period first."""
    employee = access.employee_of(actor.principal)
    if employee is None or not access.can(actor, VIEW):
        return AppraisalResult.objects.none()
    return (
        AppraisalResult.objects.filter(employee=employee, round__state=RoundState.PUBLISHED)
        .select_related("round", "round__unit", "round__scheme")
        .prefetch_related("scores__item")
        .order_by("-round__period_start", "-pk")
    )


def result(actor: Actor, pk: int) -> AppraisalResult:
    """One result: one's own once published, or any in a round the reader sees."""
    found = (
        AppraisalResult.objects.filter(pk=pk)
        .select_related("round", "round__unit", "round__scheme", "employee", "unit")
        .first()
    )
    if found is None:
        raise NotFound("考核结果", "appraisal result")
    own = my_results(actor).filter(pk=pk).exists()
    if not own and not access.unit_in_scope(actor, VIEW, found.round.unit):
        raise NotFound("考核结果", "appraisal result")
    return found


def scores(result: AppraisalResult) -> list[AppraisalScore]:
    return list(result.scores.select_related("item").order_by("item__position", "item_id"))


# ---- coaching ---------------------------------------------------------------------------------------


def plans(actor: Actor, *, state: str = ""):
    """Coaching plans the reader sees: their own, those they coach, and those under `appraisal.view`."""
    employee = access.employee_of(actor.principal)
    mine = Q(employee=employee) | Q(coach=employee) if employee is not None else Q(pk__in=[])
    scoped = access.scoped(CoachingPlan.objects.all(), actor, VIEW, owner="employee_id").values("pk")
    found = CoachingPlan.objects.filter(mine | Q(pk__in=scoped))
    if state in CoachingState.values:
        found = found.filter(state=state)
    return found.select_related(
        "employee", "coach", "unit", "opened_round", "last_round", "closed_round"
    ).order_by("state", "-opened_at", "-pk")


def plan(actor: Actor, pk: int) -> CoachingPlan:
    found = plans(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("辅导计划", "coaching plan")
    return found


def may_note(actor: Actor, plan_: CoachingPlan) -> bool:
    """The coach, or a manager of the person's unit, records coaching actions and notes."""
    employee = access.employee_of(actor.principal)
    if employee is not None and plan_.coach_id == employee.pk:
        return True
    return access.may_write(actor, MANAGE, unit=plan_.unit, owner_id=None)


# ---- the per-agent card (insights' registry, wired at merge) ------------------------------------------


def card_rows(actor: Actor, employee, period) -> list[tuple[str, str, str]] | None:
    """The person's latest published appraisal result in the period (its total and rank) and their
    coaching state, for the per-agent card; None when the reader may not see it or there is none."""
    found = (
        AppraisalResult.objects.filter(
            employee=employee,
            round__state=RoundState.PUBLISHED,
            round__period_start__gte=period.start,
            round__period_start__lt=period.end,
        )
        .select_related("round")
        .order_by("-round__period_start", "-round__published_at", "-pk")
        .first()
    )
    if found is None:
        return None
    me = access.employee_of(actor.principal)
    own = me is not None and me.pk == employee.pk and access.can(actor, VIEW)
    if not own and not access.unit_in_scope(actor, VIEW, found.round.unit):
        return None
    url = reverse("quality:appraisal_result", args=[found.pk])
    place = _("place %(rank)s") % {"rank": found.rank}
    if found.tied:
        place += _(" (tied)")
    if found.outstanding:
        place += " · " + _("Outstanding")
    rows = [
        (_("Appraisal total, %(period)s") % {"period": period_of(found.round).label}, str(found.total), url),
        (_("Appraisal rank"), place, url),
    ]
    open_plan = CoachingPlan.objects.filter(employee=employee, state=CoachingState.OPEN).first()
    if open_plan is not None:
        rows.append(
            (
                _("Coaching plan"),
                _("coaching until %(threshold)s points") % {"threshold": open_plan.threshold},
                reverse("quality:coaching_plan", args=[open_plan.pk]),
            )
        )
    return rows
