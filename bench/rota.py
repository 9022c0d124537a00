"""Rota solving for a 60-person 24×7 centre over 4 weeks (WFM-1, issue 15 "Measured").

    .venv/bin/python bench/rota.py [--people 60] [--days 28] [--start 2026-09-28] [--time-limit 45]

Builds the solver's input as plain data — the draft action's own database reads are a handful of
queries and are not what takes time — for three 8-hour shifts (早 08–16, 中 16–24, 晚 00–08),
realistic coverage (weekday 18/16/8, weekend and statutory holiday 14/12/8, of whom 2 per shift
from a 15-person complaint skill group), a few people on leave, 11 hours' rest, and the period
starting 28 September 2026 so that the National Day holidays fall inside it. Prints the solving time,
the status, the coverage (needed, staffed, missing) and the spread (max − min over people) of shifts,
nights, weekend shifts and statutory-holiday shifts. Target: a feasible rota in < 60 s.
"""

import argparse
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from kefu.workforce.solver import KINDS, Need, Person, Problem, Template, solve

SHIFTS = [
    Template("early", 8 * 60, 480),
    Template("middle", 16 * 60, 480),
    Template("night", 0, 480, night=True),
]
WEEKDAY = {"early": 18, "middle": 16, "night": 8}
WEEKEND = {"early": 14, "middle": 12, "night": 8}
SKILL, SKILLED_PEOPLE, SKILLED_PER_SHIFT = "complaints", 15, 2


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=60)
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--start", default="2026-09-28")
    parser.add_argument("--time-limit", type=float, default=45.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    first = date.fromisoformat(args.start)
    days = [first + timedelta(days=i) for i in range(args.days)]
    holidays = frozenset(d for d in days if chinese_calendar.is_holiday(d) and d.weekday() < 5)
    people = [
        Person(i, frozenset({SKILL}) if i <= SKILLED_PEOPLE else frozenset())
        for i in range(1, args.people + 1)
    ]
    needs = {}
    for day in days:
        table = WEEKEND if day.weekday() >= 5 or day in holidays else WEEKDAY
        for shift in SHIFTS:
            needs[day, shift.code] = Need(table[shift.code], {SKILL: SKILLED_PER_SHIFT})
    # three people on leave for a few days each (approved leave is an input of the solver)
    unavailable = {7: set(days[2:5]), 21: set(days[10:14]), 40: set(days[20:22])}
    problem = Problem(
        people,
        SHIFTS,
        days,
        needs,
        rest_minutes=11 * 60,
        unavailable=unavailable,
        holidays=holidays,
        time_limit=args.time_limit,
        workers=args.workers,
    )
    started = time.perf_counter()
    result = solve(problem)
    elapsed = time.perf_counter() - started
    needed = sum(n.staff for n in needs.values())
    missing = sum(g.missing for g in result.gaps if not g.skill)
    skill_missing = sum(g.missing for g in result.gaps if g.skill)
    print(f"people {args.people}, days {args.days} from {first}, statutory holidays {len(holidays)}")
    print(
        f"solve: {elapsed:.1f} s (limit {args.time_limit:.0f} s, {args.workers} workers), status {result.status}"
    )
    print(
        f"coverage: needed {needed} shifts, staffed {len(result.assignments)}, missing {missing}, "
        f"skill missing {skill_missing} ({100 * (needed - missing) / needed:.1f} % covered)"
    )
    for kind in KINDS:
        values = [c[kind] for c in result.counts.values()]
        print(f"  {kind:9s} per person min {min(values)} max {max(values)} spread {result.spread(kind)}")
    off = {
        p: [d for pid, d, _c in result.assignments if pid == p and d in unavailable[p]] for p in unavailable
    }
    print(f"leave respected: {all(not v for v in off.values())}")


if __name__ == "__main__":
    main()
