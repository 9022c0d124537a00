"""Read paths of inspections (QA-1): what an actor may see (inspectors: every inspection of their scope;
others with quality.view: the published results of their scope — an agent only their own), the
workbench lists, one inspection by id (404 outside), its item scores, the case's recordings, the appeal
deadline, and `scores()`, the final scores per agent and period that KPIs and appraisal read."""

from datetime import datetime, time
from decimal import Decimal
from pathlib import PurePosixPath

from django.db.models import Count, Q, Sum
from django.urls import reverse

from kefu.cases.models import Attachment
from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.engine.policy import api as policy
from kefu.insights.queries import kpis
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Role
from kefu.quality.models import FINAL_STATES, Inspection, InspectionScore, InspectionState

INSPECT = "quality.inspect"
VIEW = "quality.view"
APPEAL_WITHIN = "quality.appeal_within"
SHOWN_STATES = (InspectionState.PUBLISHED, InspectionState.APPEALED, *FINAL_STATES)
# audio a browser plays in <audio controls>; AMR is accepted and stored but Chromium does not play it
AUDIO_EXTENSIONS = ("wav", "mp3", "ogg", "m4a", "aac", "amr")
UNPLAYABLE = ("amr",)


def _base():
    return Inspection.objects.select_related(
        "case", "agent", "inspector", "unit", "scorecard", "appeal", "appeal__ruler"
    ).order_by("-assigned_at", "-pk")


def visible(actor: Actor):
    """Inspections the actor may see: all of the inspect scope; the published results of the view scope
    (own scope: only the agent's own); never another's calibration scores unless inspecting."""
    inspected = access.scoped(Inspection.objects.all(), actor, INSPECT).values("pk")
    shown = access.scoped(
        Inspection.objects.filter(state__in=SHOWN_STATES, calibration__isnull=True),
        actor,
        VIEW,
        owner="agent",
    ).values("pk")
    return _base().filter(Q(pk__in=inspected) | Q(pk__in=shown))


def inspection(actor: Actor, pk) -> Inspection:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = 0
    found = visible(actor).filter(pk=pk).first() if 0 < pk < 2**62 else None
    if found is None:
        raise NotFound("质检记录", "inspection")
    return found


def may_inspect(actor: Actor, found: Inspection) -> bool:
    return access.record_in_scope(actor, INSPECT, unit=found.unit, owner_id=None)


def my_tasks(actor: Actor, *, state: str = "", origin: str = ""):
    """The workbench: the inspections assigned to me (not calibration), filtered."""
    me = access.employee_of(actor.principal)
    if me is None or not access.can(actor, INSPECT):
        return Inspection.objects.none()
    found = _base().filter(inspector=me, calibration__isnull=True)
    if state:
        found = found.filter(state=state)
    if origin:
        found = found.filter(origin=origin)
    return found


def appeals_to_rule(actor: Actor):
    """Appealed inspections of my inspect scope that I did not score (a second inspector rules)."""
    me = access.employee_of(actor.principal)
    if me is None:
        return Inspection.objects.none()
    scoped = access.scoped(Inspection.objects.filter(state=InspectionState.APPEALED), actor, INSPECT).values(
        "pk"
    )
    return _base().filter(pk__in=scoped).exclude(inspector=me).exclude(agent=me)


def my_results(actor: Actor):
    """The agent's own published results (QA-1: the agent sees the result)."""
    me = access.employee_of(actor.principal)
    if me is None:
        return Inspection.objects.none()
    return visible(actor).filter(agent=me, state__in=SHOWN_STATES, calibration__isnull=True)


def item_scores(found: Inspection) -> list[dict]:
    """Each item of the inspection's scorecard version with its score, if scored (two reads)."""
    given = {s.item_id: s for s in InspectionScore.objects.filter(inspection=found)}
    rows = []
    for item in found.scorecard.items.order_by("position", "pk"):
        score = given.get(item.pk)
        rows.append({"item": item, "score": score})
    return rows


def appeal_deadline(found: Inspection) -> datetime | None:
    """Until when the agent may appeal a published result (pack quality.appeal_within, at publication)."""
    if found.published_at is None:
        return None
    entry = policy.lookup(APPEAL_WITHIN, at=found.published_at, unit=found.unit)
    return found.published_at + entry.duration()


def extension(name: str) -> str:
    return PurePosixPath(name).suffix.lower().lstrip(".")


def attachments(found: Inspection) -> list[Attachment]:
    """The case's files, each marked `audio` (a recording) and `playable` (in Chromium)."""
    rows = list(Attachment.objects.filter(case_id=found.case_id).order_by("at", "pk"))
    for row in rows:
        ext = extension(row.name)
        row.audio = ext in AUDIO_EXTENSIONS and row.content_type.startswith("audio/")
        row.playable = row.audio and ext not in UNPLAYABLE
    return rows


def scores(
    *, start: datetime, end: datetime, agent_ids=None, unit_path: str | None = None
) -> dict[int, dict]:
    """QA-1 → KPI-1 / APR-1: final inspection scores per agent whose result became final (appeal window
    passed, or appeal ruled) in [start, end): {agent_id: {"sum": Decimal, "count": int}}. Calibration
    scores never count. Not scoped: the KPI facts are the system's; callers scope what they show."""
    found = Inspection.objects.filter(
        state__in=FINAL_STATES, calibration__isnull=True, final_at__gte=start, final_at__lt=end
    )
    if agent_ids is not None:
        found = found.filter(agent_id__in=list(agent_ids))
    if unit_path:
        found = found.filter(unit__path__startswith=unit_path)
    rows = found.values("agent_id").annotate(total=Sum("total"), n=Count("pk")).order_by("agent_id")
    return {r["agent_id"]: {"sum": r["total"] or Decimal(0), "count": r["n"]} for r in rows}


def inspectors_for(unit) -> list:
    """Who may inspect a case of `unit`: the 质检员 of its subsidiary and the group's 督导 (quality.inspect
    through a group-wide role)."""
    subsidiary = policy.subsidiary_of(unit)
    roles = [r for r in Role.objects.all() if INSPECT in r.permissions]
    group_roles = [r.pk for r in roles if r.scope == "group"]
    local_roles = [r.pk for r in roles if r.scope != "group"]
    path = subsidiary.path if subsidiary is not None else unit.path
    return list(
        Employee.objects.filter(status=EmploymentStatus.ACTIVE)
        .filter(
            Q(role_assignments__role_id__in=group_roles)
            | Q(role_assignments__role_id__in=local_roles, unit__path__startswith=path)
        )
        .distinct()
        .order_by("number")
    )


def kpi_tally(actor, scope, period):
    """The KPI "QA score" (KPI-1, registered at ready): final scores summed over final inspections in
    the period, for the reader's scope (checked by `kpis.scope_of` before asking)."""
    start, end = (datetime.combine(d, time.min, tzinfo=clock.zone()) for d in (period.start, period.end))
    if scope.agent is not None:
        found = scores(start=start, end=end, agent_ids=[scope.agent.pk])
    elif scope.unit is not None:
        found = scores(start=start, end=end, unit_path=scope.unit.path)
    else:
        visible = access.scoped(Employee.objects.all(), actor, kpis.VIEW, owner="pk")
        found = scores(start=start, end=end, agent_ids=visible.values_list("pk", flat=True))
    count = sum(row["count"] for row in found.values())
    return kpis.Tally(float(sum(row["sum"] for row in found.values())), count) if count else None


def _final_in(period, *, agent_ids=None, unit_path: str | None = None):
    """The inspections `scores()` counts for the period (same filters), for the drill-down."""
    start, end = (datetime.combine(d, time.min, tzinfo=clock.zone()) for d in (period.start, period.end))
    found = Inspection.objects.filter(
        state__in=FINAL_STATES, calibration__isnull=True, final_at__gte=start, final_at__lt=end
    )
    if agent_ids is not None:
        found = found.filter(agent_id__in=agent_ids)
    if unit_path:
        found = found.filter(unit__path__startswith=unit_path)
    return found


def kpi_drill(actor, scope, period, *, after: int = 0, limit: int = 50) -> kpis.Drill:
    """The inspections behind the KPI "QA score" (KPI-1, registered at ready): the final inspections
    `kpi_tally` sums, one row each (its score over 1), key-set paged by inspection id, each linking to
    the inspection's page."""
    if scope.agent is not None:
        found = _final_in(period, agent_ids=[scope.agent.pk])
    elif scope.unit is not None:
        found = _final_in(period, unit_path=scope.unit.path)
    else:
        visible_ids = access.scoped(Employee.objects.all(), actor, kpis.VIEW, owner="pk").values("pk")
        found = _final_in(period, agent_ids=visible_ids)
    totals = found.aggregate(n=Sum("total"), d=Count("pk"))
    page = list(
        found.filter(pk__gt=after).select_related("case", "unit", "agent").order_by("pk")[: limit + 1]
    )
    more = len(page) > limit
    page = page[:limit]
    rows = [
        kpis.Row(
            i.case_id,
            i.case.number,
            i.case.title,
            i.unit.name,
            i.agent.name,
            clock.local(i.final_at).date(),
            float(i.total or 0),
            1,
            reverse("quality:inspection", args=[i.pk]),
        )
        for i in page
    ]
    return kpis.Drill(rows, page[-1].pk if more else None, float(totals["n"] or 0), totals["d"] or 0)


def kpi_by_agent(actor, agent_ids, period) -> dict:
    """The KPI "QA score" of many agents in one read (the 按坐席 chart): {agent_id: Tally}; the caller
    checked the agents are in the reader's scope."""
    start, end = (datetime.combine(d, time.min, tzinfo=clock.zone()) for d in (period.start, period.end))
    found = scores(start=start, end=end, agent_ids=agent_ids)
    return {pk: kpis.Tally(float(row["sum"]), row["count"]) for pk, row in found.items() if row["count"]}
