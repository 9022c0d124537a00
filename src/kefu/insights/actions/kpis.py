"""KPI-1: keeping the daily facts the KPIs are read from — incrementally (`sweep`, by the worker) and
from scratch (`rebuild`, `kefu manage insights_rebuild`). Both compute a case's contribution with the
same function (`facts_for`), so they agree by construction; a test compares them.

The change feed is the sealed audit chain: every write of the product records an audit row in its own
transaction, and the sealer gives committed rows a gapless `seq` in commit order (core.audit). The
sweep reads the rows after its cursor, maps each to the case it concerns (a case, a survey answer,
a revisit task), recomputes those cases' facts from their current state and replaces their old
contribution to `DailyFact` by the new one, in one transaction with the cursor. The case actions
write nothing more than they already did (zero extra statements per case write).

Two workers: the cursor row is locked FOR UPDATE SKIP LOCKED, so one sweeps and the other skips the
round; `rebuild` waits for the lock (it must not run beside a sweep).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Max

from kefu.cases.models import Case, Family
from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.models import AuditEvent
from kefu.engine.workflow import api as workflow
from kefu.followups.models import RevisitTask, SurveyAnswer, TaskState
from kefu.followups.queries.satisfaction import TALLY, counted
from kefu.insights.models import COUNTERS, CaseFact, DailyFact, FactCursor  # noqa: F401 — tests read COUNTERS here

CURSOR = "kpi"
BATCH = 500  # audit rows (or cases, for a rebuild) per transaction — 本系统默认值, not a policy
SLA_CLOCKS = ("first_response", "resolution", "onsite")  # the SLA-1 commitments a case is measured on
ESCALATION_CHAIN = "case"  # the chain a case goes up (cases.lifecycle.CHAIN, WF-6)
INTERNAL = (Family.INTERNAL_REPORT,)  # not from a customer: left out of the 客户来件 denominator
# audit object types that concern a case, and how to find it
CASE_TYPE = "cases.case"
ANSWER_TYPE = "followups.surveyanswer"
TASK_TYPE = "followups.revisittask"


def _day(at) -> date | None:
    return clock.local(at).date() if at is not None else None


def facts_for(case_ids: list[int]) -> dict[int, CaseFact]:
    """The current facts of these cases (unsaved rows), computed from the cases, their SLA clocks,
    their escalations, their revisit tasks and the customer's current survey answer — six statements
    for any number.

    `escalated` (本月 dashboard: escalations, counted on the receipt day): the case is `major` (ESC-1:
    a major complaint, a major problem or a key feedback issue, which go up on receipt), or it has at
    least one escalation row on its `case` chain (WF-6, `engine.workflow` `Escalation`) — raised by
    hand or by an ESC-1 trigger, or automatically when one of its SLA clocks (first response, next
    update, resolution, on site) breached: a breach escalates one level (`deadlines._breach`), and a
    breach that adds no row is one at the top of the chain, which the case reached by such a row. So
    "an SLA clock breached, escalated, or major" is exactly "major or an escalation row". Every
    escalation audits `workflow.escalate` on the case, so the sweep sees it.
    """
    cases = list(
        Case.objects.filter(pk__in=case_ids).only(
            "pk",
            "unit_id",
            "owner_id",
            "family",
            "received_at",
            "first_response_at",
            "resolved_at",
            "closed_at",
            "reopen_count",
            "bounce_count",
            "category",
            "major",
        )
    )
    if not cases:
        return {}
    # the clocks that ended, each met or missed: a clock is missed from its first breach on, even when
    # it kept running and was stopped later (engine.workflow deadlines, issue 13)
    clocks: dict[int, list[tuple[str, bool]]] = defaultdict(list)
    for object_id, name, state, breached_at in workflow.clocks(
        cases, states=(workflow.TimerState.DONE, workflow.TimerState.BREACHED), names=SLA_CLOCKS
    ).values_list("object_id", "name", "state", "breached_at"):
        met = state == workflow.TimerState.DONE and breached_at is None
        clocks[int(object_id)].append((name, met))
    escalated = {
        int(object_id)
        for object_id in workflow.escalations(cases)
        .filter(chain=ESCALATION_CHAIN)
        .values_list("object_id", flat=True)
    }
    tasks: dict[int, set[str]] = defaultdict(set)
    for case_id, state in RevisitTask.objects.filter(case_id__in=case_ids).values_list("case_id", "state"):
        tasks[case_id].add(state)
    # satisfaction: THE definition's counted answers and tally (followups.queries.satisfaction.rate)
    answers = {
        row["survey__case_id"]: row
        for row in counted(SurveyAnswer.objects.filter(survey__case_id__in=case_ids))
        .values("survey__case_id")
        .annotate(**TALLY, last=Max("at"))
        .order_by()
    }
    out = {}
    for case in cases:
        ran = clocks.get(case.pk, [])
        answer = answers.get(case.pk)
        closed = case.closed_at is not None
        out[case.pk] = CaseFact(
            case_id=case.pk,
            unit_id=case.unit_id,
            owner_id=case.owner_id,
            received_day=_day(case.received_at),
            external=case.family not in INTERNAL,
            complaint=case.family == Family.COMPLAINT,
            resolved=case.resolved_at is not None,
            category=case.category,
            escalated=case.major or case.pk in escalated,
            responded_day=_day(case.first_response_at),
            response_minutes=(
                int((case.first_response_at - case.received_at).total_seconds() // 60)
                if case.first_response_at is not None
                else 0
            ),
            closed_day=_day(case.closed_at),
            on_time=closed and all(met for n, met in ran if n == "resolution"),
            reopened=closed and case.reopen_count > 0,
            bounced=closed and case.bounce_count > 0,
            revisit_planned=closed and bool(tasks.get(case.pk)),
            revisited=closed and TaskState.DONE in tasks.get(case.pk, ()),
            sla_met=sum(met for _, met in ran) if closed else 0,
            sla_total=len(ran) if closed else 0,
            answered_day=_day(answer["last"]) if answer and answer["answered"] else None,
            answered=answer["answered"] if answer else 0,
            satisfied=answer["satisfied"] if answer else 0,
        )
    return out


Key = tuple[date, int, int | None]


def contribution(fact: CaseFact | None) -> dict[Key, dict[str, int]]:
    """What one case adds to the daily rows: per (day, unit, employee), per counter."""
    if fact is None:
        return {}
    out: dict[Key, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def add(day, **counts):
        if day is None:
            return
        row = out[(day, fact.unit_id, fact.owner_id)]
        for name, n in counts.items():
            row[name] += int(n)

    add(
        fact.received_day,
        received=1,
        received_external=fact.external,
        complaints=fact.complaint,
        resolved=fact.resolved,
        escalations=fact.escalated,
    )
    add(fact.responded_day, responded=1, response_minutes=fact.response_minutes)
    add(
        fact.closed_day,
        closed=1,
        closed_on_time=fact.on_time,
        reopened=fact.reopened,
        bounced=fact.bounced,
        revisit_planned=fact.revisit_planned,
        revisited=fact.revisited,
        sla_met=fact.sla_met,
        sla_total=fact.sla_total,
    )
    add(fact.answered_day, answered=fact.answered, satisfied=fact.satisfied)
    return out


def _apply(deltas: dict[Key, dict[str, int]]) -> None:
    """Add the deltas to the daily rows: one SELECT, one DELETE of the rows that change, one bulk
    INSERT of the changed and the new rows (the caller holds the cursor lock, so nobody else writes
    these rows). Not `bulk_update`: its CASE WHEN per row and counter cost ~6 s of Python for a batch
    of 500 rows × 16 counters (bench/kpis.py); nothing refers to a daily row by its id."""
    deltas = {k: d for k, d in deltas.items() if any(d.values())}
    if not deltas:
        return
    days = {k[0] for k in deltas}
    units = {k[1] for k in deltas}
    existing = {
        (r.day, r.unit_id, r.employee_id): r
        for r in DailyFact.objects.filter(day__in=days, unit_id__in=units)
    }
    new, changed = [], []
    for key, delta in deltas.items():
        row = existing.get(key)
        if row is None:
            row = DailyFact(day=key[0], unit_id=key[1], employee_id=key[2])
            new.append(row)
        else:
            changed.append(row)
        for name, n in delta.items():
            setattr(row, name, getattr(row, name) + n)
    if changed:
        DailyFact.objects.filter(pk__in=[row.pk for row in changed]).delete()
        for row in changed:
            row.pk = None
    if new or changed:
        DailyFact.objects.bulk_create(new + changed)


def refresh(case_ids: list[int], *, old: dict[int, CaseFact] | None = None) -> int:
    """Recompute these cases' facts and move their contribution in the daily rows (cursor held)."""
    if old is None:
        old = CaseFact.objects.in_bulk(case_ids)
    new = facts_for(case_ids)
    deltas: dict[Key, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for case_id in case_ids:
        for key, counts in contribution(old.get(case_id)).items():
            for name, n in counts.items():
                deltas[key][name] -= n
        for key, counts in contribution(new.get(case_id)).items():
            for name, n in counts.items():
                deltas[key][name] += n
    _apply(deltas)
    kept = [pk for pk in new if pk in old]
    if kept:  # replaced rather than updated, as the daily rows (`_apply`)
        CaseFact.objects.filter(case_id__in=kept).delete()
    if new:
        CaseFact.objects.bulk_create(new.values())
    return len(new)


def _lock_cursor(*, wait: bool = False) -> FactCursor | None:
    """The cursor row, locked for this transaction — or None when another sweeper holds it."""
    rows = FactCursor.objects.filter(name=CURSOR)
    cursor = rows.select_for_update(skip_locked=not wait, of=("self",)).first()
    if cursor is None and not rows.exists():
        with transaction.atomic():  # the very first sweep (or after a flush); a race is harmless
            FactCursor.objects.get_or_create(name=CURSOR)
        cursor = rows.select_for_update(skip_locked=not wait, of=("self",)).first()
    return cursor


def _case_ids(events: list[tuple[int, str, str]]) -> list[int]:
    ids: set[int] = set()
    answers, tasks = set(), set()
    for _, object_type, object_id in events:
        if not object_id.isdecimal():
            continue
        if object_type == CASE_TYPE:
            ids.add(int(object_id))
        elif object_type == ANSWER_TYPE:
            answers.add(int(object_id))
        elif object_type == TASK_TYPE:
            tasks.add(int(object_id))
    if answers:
        ids.update(SurveyAnswer.objects.filter(pk__in=answers).values_list("survey__case_id", flat=True))
    if tasks:
        ids.update(
            RevisitTask.objects.filter(pk__in=tasks, case_id__isnull=False).values_list("case_id", flat=True)
        )
    return sorted(ids)


def sweep(*, limit: int = BATCH) -> int:
    """One round: the sealed audit rows after the cursor (up to `limit`), their cases' facts
    recomputed, the cursor moved — in one transaction. Returns how many audit rows were read."""
    with transaction.atomic():
        cursor = _lock_cursor()
        if cursor is None:
            return 0  # another worker is sweeping
        events = list(
            AuditEvent.objects.filter(seq__gt=cursor.seq)
            .order_by("seq")
            .values_list("seq", "object_type", "object_id")[:limit]
        )
        if not events:
            return 0
        ids = _case_ids(events)
        if ids:
            refresh(ids)
        cursor.seq, cursor.swept_at = events[-1][0], clock.now()
        cursor.save(update_fields=["seq", "swept_at"])
    return len(events)


def sweep_all() -> int:
    """Sweep until the feed is read to its end (tests, the rebuild command)."""
    total = 0
    while (n := sweep()) > 0:
        total += n
    return total


@dataclass(frozen=True)
class Rebuilt:
    cases: int
    seq: int


def rebuild(actor: Actor) -> Rebuilt:
    """Every fact recomputed from scratch (cases in key-set batches) and the cursor set to the end of
    the sealed feed; rows sealed later are swept as usual. Audited; waits for a running sweep."""
    with transaction.atomic():
        cursor = _lock_cursor(wait=True)
        seq = AuditEvent.objects.filter(seq__isnull=False).aggregate(m=Max("seq"))["m"] or 0
        DailyFact.objects.all().delete()
        CaseFact.objects.all().delete()
        done, after = 0, 0
        while True:
            ids = list(Case.objects.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:BATCH])
            if not ids:
                break
            done += refresh(ids, old={})
            after = ids[-1]
        cursor.seq, cursor.rebuilt_at = seq, clock.now()
        cursor.save(update_fields=["seq", "rebuilt_at"])
        audit.record(actor, "insights.kpi_rebuild", cursor, after={"cases": done, "seq": seq})
    return Rebuilt(done, seq)
