"""Weekly sampling (QA-1): for each subsidiary, n % of each agent's cases closed in the week, drawn at
random (n = quality.sample_percent), plus up to quality.risk_picks_per_agent risk-weighted picks among
the rest (complaint, reopened, deadline missed, handling longer than quality.long_handling, customer
not satisfied; weights from the plan), each assigned to the least-loaded 质检员 of the subsidiary who
is not the agent. The draw is seeded by week and agent, and a case is inspected once (database
constraint): running a week twice gives the same tasks."""

import math
import random
from datetime import date, timedelta

from django.db import IntegrityError, transaction

from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.engine.policy import api as policy
from kefu.org import access
from kefu.quality import labels
from kefu.quality.models import Inspection, Origin
from kefu.quality.queries import sampling as queries
from kefu.quality.queries import scorecards as card_queries

PERCENT = "quality.sample_percent"
RISK_PICKS = "quality.risk_picks_per_agent"
LONG_HANDLING = "quality.long_handling"
CONFIGURE = "quality.configure"


def _picks(rows: list[dict], percent, picks: int, weights: dict, long_handling: timedelta, week: date):
    """[(row, origin, factors)] for one agent's closed cases of the week."""
    ids = [r["pk"] for r in rows]
    n = math.ceil(len(ids) * float(percent) / 100) if ids else 0
    drawn = sorted(ids)
    if ids:
        random.Random(f"{week.isoformat()}:{rows[0]['owner_id']}").shuffle(drawn)  # noqa: S311  not security
    chosen = set(drawn[:n])
    out = [(r, Origin.RANDOM, queries.risk_factors(r, long_handling)) for r in rows if r["pk"] in chosen]
    scored = []
    for row in rows:
        if row["pk"] in chosen:
            continue
        factors = queries.risk_factors(row, long_handling)
        risk = sum(int(weights.get(f, 0)) for f in factors)
        if risk > 0:
            scored.append((-risk, row["pk"], row, [f for f in factors if weights.get(f)]))
    out += [(row, Origin.RISK, factors) for _, _, row, factors in sorted(scored)[:picks]]
    return out


def _assign(row, origin, factors, inspector, card, week, entry, note, system) -> Inspection | None:
    try:
        with transaction.atomic():
            found = Inspection.objects.create(
                case_id=row["pk"],
                unit_id=row["unit_id"],
                agent_id=row["owner_id"],
                inspector=inspector,
                scorecard=card,
                origin=origin,
                risk=factors,
                week=week,
                assigned_at=clock.now(),
            )
            decisions.record_from_entry(found, entry, outcome=note, inputs={"sample_week": week.isoformat()})
            audit.record(
                system,
                "quality.inspection.assign",
                found,
                after={"case": row["pk"], "origin": origin, "risk": factors, "inspector": inspector.pk},
            )
        return found
    except IntegrityError:
        return None  # drawn by an earlier run of the same week


def draw(week: date, subsidiaries=None) -> int:
    """QA-1: sample the week starting on Monday `week` (every subsidiary, or those given); returns how
    many tasks were made (0 on a rerun)."""
    start, end = queries.week_bounds(week)
    system = Actor.system("quality sampling")
    made = 0
    for subsidiary in queries.subsidiaries() if subsidiaries is None else subsidiaries:
        plan = queries.plan_for(subsidiary)
        people = queries.inspectors(subsidiary)
        rows = queries.closed_cases(subsidiary, start, end)
        if plan is None or not people or not rows:
            continue
        card = card_queries.current_for(subsidiary)
        percent_entry = policy.lookup(PERCENT, at=start, unit=subsidiary)
        picks_entry = policy.lookup(RISK_PICKS, at=start, unit=subsidiary)
        long_handling = policy.lookup(LONG_HANDLING, at=start, unit=subsidiary).duration()
        done = queries.already_inspected([r["pk"] for r in rows])
        load = queries.loads(people)
        by_agent: dict[int, list[dict]] = {}
        for row in rows:
            by_agent.setdefault(row["owner_id"], []).append(row)
        for agent_id, mine in sorted(by_agent.items()):
            chosen = _picks(
                mine, percent_entry.value, int(picks_entry.value), plan.risk_weights, long_handling, week
            )
            for row, origin, factors in chosen:
                if row["pk"] in done:
                    continue
                candidates = [p for p in people if p.pk != agent_id]
                if not candidates:
                    continue
                inspector = min(candidates, key=lambda p: (load[p.pk], p.number))
                if origin == Origin.RANDOM:
                    entry = percent_entry
                    note = f"随机抽样：本周结案 {len(mine)} 件，按 {percent_entry.value}% 抽取"
                else:
                    entry = picks_entry
                    note = f"风险加抽：{labels.risk_text(factors)}"
                if _assign(row, origin, factors, inspector, card, week, entry, note, system):
                    load[inspector.pk] += 1
                    made += 1
    return made


def weekly(run) -> int:
    """The schedule `quality.weekly_sample` (Mondays): sample the week that just ended."""
    today = clock.local(run.due_at).date() if run is not None else clock.today()
    return draw(queries.week_of(today) - timedelta(days=7))


def run_now(actor: Actor, week: date | None = None) -> int:
    """A configurer draws a week by hand (default: this week so far) for the subsidiaries of their scope;
    same draw as the schedule, audited."""
    access.require(actor, CONFIGURE)
    week = queries.week_of(week or clock.today())
    mine = [s for s in queries.subsidiaries() if access.unit_in_scope(actor, CONFIGURE, s)]
    made = draw(week, mine)
    with transaction.atomic():
        audit.record(
            actor,
            "quality.sampling.run",
            object_type="quality.samplingplan",
            object_id=week.isoformat(),
            object_repr=f"抽样 {week.isoformat()}",
            after={"week": week.isoformat(), "made": made},
        )
    return made
