"""The rota solver (WFM-1): a pure function from plain data to shift assignments, with OR-Tools CP-SAT.

No ORM here: the draft action reads the team, its templates, coverage rules, unavailable days and the
previous period's last shifts, calls `solve`, and writes what comes back. How the model is built is
written down in docs/decisions.md ("The rota solver").

- one boolean x[p, d, s] per person, day and shift template;
- hard: at most one shift per person per day; none on an unavailable day (approved leave); no two
  shifts of a person closer than the minimum rest (also against the previous period's last shift);
- coverage: for each day and shift, Σ x ≥ need − slack, and for each skill Σ x of the skilled ≥
  need − slack; the slack is penalised heavily, so a draft always comes back and the slack IS the gap;
- objective: coverage first (slack), then fairness — the spread (max − min over people) of nights,
  weekend shifts, statutory-holiday shifts and all shifts — then as few shifts as the coverage needs.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ortools.sat.python import cp_model

DAY = 24 * 60
GAP_WEIGHT = 10_000  # one missing person outweighs any fairness gain
SPREAD_WEIGHT = 20
SHIFT_WEIGHT = 1


@dataclass(frozen=True)
class Person:
    id: int
    skills: frozenset = frozenset()


@dataclass(frozen=True)
class Template:
    code: str
    start: int  # minutes after midnight
    length: int  # minutes; a shift crossing midnight has start + length > 1440
    night: bool = False


@dataclass(frozen=True)
class Need:
    """What one shift on one day needs: `staff` people, of whom `skills[code]` have that skill."""

    staff: int
    skills: dict = field(default_factory=dict)


@dataclass
class Problem:
    people: list[Person]
    templates: list[Template]
    days: list[date]
    needs: dict  # (day, template code) → Need
    rest_minutes: int
    unavailable: dict = field(default_factory=dict)  # person id → set of days
    previous_end: dict = field(
        default_factory=dict
    )  # person id → naive local datetime of the last shift's end
    holidays: frozenset = frozenset()  # statutory holidays in the period
    time_limit: float = 20.0
    workers: int = 2


@dataclass(frozen=True)
class Gap:
    day: date
    template: str
    missing: int
    skill: str = ""  # "" = headcount, else the skill group short of people


@dataclass
class Result:
    assignments: list  # (person id, day, template code)
    gaps: list[Gap]
    status: str  # optimal / feasible / unknown
    seconds: float
    counts: dict  # person id → {"shifts", "nights", "weekends", "holidays"}

    def spread(self, kind: str) -> int:
        values = [c[kind] for c in self.counts.values()]
        return max(values) - min(values) if values else 0


KINDS = ("shifts", "nights", "weekends", "holidays")


def _start(problem: Problem, day_index: int, template: Template) -> int:
    return day_index * DAY + template.start


def _kinds(problem: Problem, day: date, template: Template) -> dict:
    return {
        "shifts": 1,
        "nights": int(template.night),
        "weekends": int(day.weekday() >= 5),
        "holidays": int(day in problem.holidays),
    }


def _rest_pairs(problem: Problem):
    """((d1, s1), (d2, s2)) on different days whose starts are closer than end + rest."""
    slots = [(d, t) for d in range(len(problem.days)) for t in problem.templates]
    for d1, t1 in slots:
        end1 = _start(problem, d1, t1) + t1.length
        for d2, t2 in slots:
            if d2 <= d1:
                continue
            start2 = _start(problem, d2, t2)
            if start2 < end1 + problem.rest_minutes:
                yield (d1, t1.code), (d2, t2.code)


def solve(problem: Problem) -> Result:
    model = cp_model.CpModel()
    days, templates = problem.days, problem.templates
    x = {}
    for p in problem.people:
        blocked = problem.unavailable.get(p.id, set())
        last = problem.previous_end.get(p.id)
        for d, day in enumerate(days):
            for t in templates:
                var = model.new_bool_var(f"x{p.id}_{d}_{t.code}")
                x[p.id, d, t.code] = var
                if day in blocked:
                    model.add(var == 0)
                elif last is not None:
                    start = datetime.combine(day, datetime.min.time()) + timedelta(minutes=t.start)
                    if start < last + timedelta(minutes=problem.rest_minutes):
                        model.add(var == 0)
            model.add(sum(x[p.id, d, t.code] for t in templates) <= 1)
        for (d1, c1), (d2, c2) in _rest_pairs(problem):
            model.add(x[p.id, d1, c1] + x[p.id, d2, c2] <= 1)

    slacks = []  # (var, Gap template)
    for d, day in enumerate(days):
        for t in templates:
            need = problem.needs.get((day, t.code))
            if need is None:
                continue
            if need.staff > 0:
                slack = model.new_int_var(0, need.staff, f"gap{d}_{t.code}")
                model.add(sum(x[p.id, d, t.code] for p in problem.people) + slack >= need.staff)
                slacks.append((slack, day, t.code, "", need.staff))
            for skill, count in sorted(need.skills.items()):
                if count <= 0:
                    continue
                slack = model.new_int_var(0, count, f"gap{d}_{t.code}_{skill}")
                skilled = [x[p.id, d, t.code] for p in problem.people if skill in p.skills]
                model.add(sum(skilled) + slack >= count)
                slacks.append((slack, day, t.code, skill, count))

    counts = {}
    spreads = []
    horizon = len(days) + 1
    for kind in KINDS:
        per_person = []
        for p in problem.people:
            terms = [
                x[p.id, d, t.code] * _kinds(problem, day, t)[kind]
                for d, day in enumerate(days)
                for t in templates
                if _kinds(problem, day, t)[kind]
            ]
            count = model.new_int_var(0, horizon, f"{kind}{p.id}")
            model.add(count == sum(terms))
            counts[p.id, kind] = count
            per_person.append(count)
        if len(per_person) > 1:
            high = model.new_int_var(0, horizon, f"max_{kind}")
            low = model.new_int_var(0, horizon, f"min_{kind}")
            model.add_max_equality(high, per_person)
            model.add_min_equality(low, per_person)
            spreads.append(high - low)

    model.minimize(
        GAP_WEIGHT * sum(s for s, *_ in slacks)
        + SPREAD_WEIGHT * sum(spreads)
        + SHIFT_WEIGHT * sum(x.values())
    )
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = problem.time_limit
    solver.parameters.num_workers = problem.workers
    solver.parameters.random_seed = 7
    code = solver.solve(model)
    status = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible"}.get(code, "unknown")
    if status == "unknown":  # no solution in time: nothing assigned, every need is a gap
        return Result(
            [],
            [Gap(day, c, total, skill) for _s, day, c, skill, total in slacks],
            status,
            solver.wall_time,
            {p.id: dict.fromkeys(KINDS, 0) for p in problem.people},
        )
    assignments = [
        (p.id, day, t.code)
        for p in problem.people
        for d, day in enumerate(days)
        for t in templates
        if solver.value(x[p.id, d, t.code])
    ]
    gaps = [Gap(day, c, solver.value(s), skill) for s, day, c, skill, _total in slacks if solver.value(s) > 0]
    per_person = {p.id: {k: solver.value(counts[p.id, k]) for k in KINDS} for p in problem.people}
    return Result(assignments, gaps, status, solver.wall_time, per_person)
