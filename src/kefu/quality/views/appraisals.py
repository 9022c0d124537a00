"""绩效考核 pages (APR-1): the rounds of my units and opening one, a round's score sheet with the
manual items and publishing (with confirmation), my results, one result with each item and its basis,
and the coaching plans with their notes."""

from datetime import date

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.core import clock
from kefu.core.errors import DomainError, PermissionDenied
from kefu.engine.policy import api as policy
from kefu.insights.queries import kpis
from kefu.org import access
from kefu.org.models import Unit
from kefu.quality.actions import appraisals as actions
from kefu.quality.models import CoachingState, ItemKind, PeriodKind
from kefu.quality.queries import appraisals as queries
from kefu.web.support import actor, web_view

MONTHS_OFFERED = 12


def _failed(request, error: DomainError) -> None:
    if error.status in (403, 404):
        raise error
    messages.error(request, error.message)


def _periods(kind: str) -> list[tuple[str, str]]:
    """The periods a round may be opened for: the current one and those before, newest first."""
    out, day = [], clock.today()
    for _n in range(MONTHS_OFFERED if kind == PeriodKind.MONTH else 4):
        period = kpis.period_of(kind, day)
        out.append((f"{kind}:{period.start.isoformat()}", period.label))
        day = date.fromordinal(period.start.toordinal() - 1)
    return out


def _manageable_units(me) -> list[Unit]:
    units = access.scoped(Unit.objects.exclude(kind="group"), me, queries.MANAGE, unit_path="path")
    depth = {"team": 0, "department": 1, "subsidiary": 2}
    found = [u for u in units.order_by("path") if access.may_write(me, queries.MANAGE, unit=u, owner_id=None)]
    return sorted(found, key=lambda u: (depth.get(u.kind, 3), u.path))


@web_view
def rounds(request):
    """考核轮次: the rounds of the units I see; opening a round for a unit and period."""
    me = actor(request)
    access.require(me, queries.VIEW)
    manages = access.can(me, queries.MANAGE)
    if request.method == "POST":
        access.require(me, queries.MANAGE)
        kind, _sep, start = request.POST.get("period", "").partition(":")
        try:
            unit = Unit.objects.filter(pk=int(request.POST.get("unit") or 0)).first()
            day = date.fromisoformat(start) if kind in PeriodKind.values else None
        except ValueError:
            unit, day = None, None
        if unit is None or day is None:
            messages.error(request, _("Choose a unit and a period."))
            return redirect(reverse("quality:appraisal_rounds"))
        try:
            made = actions.open_round(me, unit=unit, period_kind=kind, day=day)
        except DomainError as error:
            _failed(request, error)
            return redirect(reverse("quality:appraisal_rounds"))
        messages.success(request, _("The round is open: score the manual items, then publish."))
        return redirect(reverse("quality:appraisal_round", args=[made.pk]))
    rows = list(queries.rounds(me).order_by("-period_start", "unit__path")[:200])
    for row in rows:
        row.label = queries.period_of(row).label
    context = {
        "rows": rows,
        "manages": manages,
        "units": _manageable_units(me) if manages else [],
        "month_periods": _periods(PeriodKind.MONTH),
        "quarter_periods": _periods(PeriodKind.QUARTER),
        "threshold": policy.lookup(queries.THRESHOLD),
        "outstanding": policy.lookup(queries.OUTSTANDING),
        "clause": queries.SCHEME_CLAUSE,
    }
    return render(request, "quality/appraisals.html", context)


def _sheet(found):
    """The score sheet: the scheme's items as columns, one row per member."""
    results = queries.results(found)
    items = list(found.scheme.items.order_by("position", "pk"))
    for result in results:
        by_item = {s.item_id: s for s in result.scores.all()}
        result.cells = [by_item.get(item.pk) for item in items]
        result.tie_text = queries.tie_text(result, found)
    return items, results


@web_view
def round_page(request, pk: int):
    """One round: each member's items (KPI value against target → points, QA score, manual points),
    totals; manual entry while open; publish with confirmation; after publishing the ranking."""
    me = actor(request)
    found = queries.round_(me, pk)
    may_manage = queries.may_manage(me, found)
    items, results = _sheet(found)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied()
        what = request.POST.get("what", "")
        try:
            if what == "scores":
                entries = []
                for result in results:
                    for item in items:
                        if item.kind != ItemKind.MANUAL:
                            continue
                        raw = request.POST.get(f"p_{result.pk}_{item.pk}", "").strip()
                        if raw:
                            entries.append(
                                {
                                    "result_id": result.pk,
                                    "item_id": item.pk,
                                    "points": raw,
                                    "note": request.POST.get(f"n_{result.pk}_{item.pk}", ""),
                                }
                            )
                changed = actions.score_many(me, found, entries)
                messages.success(request, _("%(count)s scores were saved.") % {"count": changed})
            elif what == "publish":
                if request.POST.get("confirm") != "on":
                    messages.error(request, _("Tick the confirmation to publish."))
                else:
                    actions.publish(me, found)
                    messages.success(request, _("The results are published to each person."))
        except DomainError as error:
            _failed(request, error)
        return redirect(reverse("quality:appraisal_round", args=[found.pk]))
    context = {
        "round": found,
        "label": queries.period_of(found).label,
        "items": items,
        "results": results,
        "may_manage": may_manage and found.state == "open",
        "threshold": policy.lookup(queries.THRESHOLD, unit=found.unit),
        "outstanding": policy.lookup(queries.OUTSTANDING, unit=found.unit),
        "clause": queries.SCHEME_CLAUSE,
        "period_over": clock.today() >= found.period_end,
    }
    return render(request, "quality/appraisal_round.html", context)


@web_view
def mine(request):
    """我的考核: my published results, newest first."""
    me = actor(request)
    access.require(me, queries.VIEW)
    rows = list(queries.my_results(me)[:50])
    for row in rows:
        row.label = queries.period_of(row.round).label
    plans = list(queries.plans(me).filter(employee=access.employee_of(me.principal))[:20])
    return render(request, "quality/appraisals_mine.html", {"rows": rows, "plans": plans})


@web_view
def result_page(request, pk: int):
    """One result: each item with its value, target, points and the clause it comes from."""
    me = actor(request)
    found = queries.result(me, pk)
    context = {
        "result": found,
        "round": found.round,
        "label": queries.period_of(found.round).label,
        "scores": queries.scores(found),
        "tie_text": queries.tie_text(found, found.round),
        "clause": queries.SCHEME_CLAUSE,
        "coaching_clause": queries.COACHING_CLAUSE,
    }
    return render(request, "quality/appraisal_result.html", context)


@web_view
def coaching(request):
    """辅导计划: the plans I see (mine, those I coach, my units'), open first."""
    me = actor(request)
    state = request.GET.get("state", "")
    if state not in CoachingState.values:
        state = ""
    rows = list(queries.plans(me, state=state)[:200])
    context = {
        "rows": rows,
        "states": CoachingState.choices,
        "state": state,
        "clause": queries.COACHING_CLAUSE,
    }
    return render(request, "quality/coaching.html", context)


@web_view
def coaching_plan(request, pk: int):
    """One coaching plan: goal, coach, rounds checked, notes; the coach records notes."""
    me = actor(request)
    found = queries.plan(me, pk)
    if request.method == "POST":
        try:
            actions.note(me, found, text=request.POST.get("text", ""))
            messages.success(request, _("The coaching note was saved."))
        except DomainError as error:
            _failed(request, error)
        return redirect(reverse("quality:coaching_plan", args=[found.pk]))
    context = {
        "plan": found,
        "notes": list(found.notes.select_related("author")),
        "may_note": queries.may_note(me, found),
        "opened_label": queries.period_of(found.opened_round).label,
        "last_label": queries.period_of(found.last_round).label if found.last_round_id else "",
        "closed_label": queries.period_of(found.closed_round).label if found.closed_round_id else "",
        "clause": queries.COACHING_CLAUSE,
    }
    return render(request, "quality/coaching_plan.html", context)


BLANK_ROWS = 2


def _scheme_unit(me):
    """The unit whose scheme the manager edits: the group default with a group-wide grant, else their
    subsidiary."""
    if access.widest_scope(me, queries.MANAGE) == "group":
        return None
    employee = access.employee_of(me.principal)
    return policy.subsidiary_of(employee.unit) if employee else None


def _posted_items(post) -> list[dict]:
    rows = []
    count = int(post.get("rows") or 0) if str(post.get("rows", "")).isdigit() else 0
    for n in range(min(count, actions.MAX_ITEMS + BLANK_ROWS)):
        name = post.get(f"name_{n}", "").strip()
        kind = post.get(f"kind_{n}", "")
        if not name and not post.get(f"weight_{n}", "").strip():
            continue
        rows.append(
            {
                "kind": kind,
                "kpi_code": post.get(f"kpi_{n}", ""),
                "name": name,
                "weight": post.get(f"weight_{n}", ""),
                "description": post.get(f"description_{n}", ""),
            }
        )
    return rows


@web_view
def schemes(request):
    """考核方案: the scheme in use for the manager's subsidiary (or the group default) per period kind,
    its items and weights (total 100); saving makes a new version, rounds keep theirs."""
    me = actor(request)
    access.require(me, queries.MANAGE)
    kind = request.GET.get("kind", PeriodKind.MONTH)
    if kind not in PeriodKind.values:
        kind = PeriodKind.MONTH
    unit = _scheme_unit(me)
    if request.method == "POST":
        try:
            saved = actions.save_scheme(
                me,
                unit=unit,
                period_kind=kind,
                name=request.POST.get("name", ""),
                items=_posted_items(request.POST),
                note=request.POST.get("note", ""),
            )
            messages.success(
                request, _("Version %(version)s of the scheme is in use.") % {"version": saved.version}
            )
        except DomainError as error:
            _failed(request, error)
        return redirect(reverse("quality:appraisal_schemes") + f"?kind={kind}")
    scheme = queries.current_scheme(unit, kind)
    items = list(scheme.items.order_by("position", "pk")) if scheme else []
    context = {
        "unit": unit,
        "kind": kind,
        "kinds": PeriodKind.choices,
        "scheme": scheme,
        "own": scheme is not None and scheme.unit_id == (unit.pk if unit else None),
        "items": items,
        "blanks": range(len(items), len(items) + BLANK_ROWS),
        "rows": len(items) + BLANK_ROWS,
        "item_kinds": ItemKind.choices,
        "kpis": [(k.code, k.name) for k in kpis.KPIS if k.code != "qa_score"],
    }
    return render(request, "quality/appraisal_schemes.html", context)
