"""WFM-1: the CP-SAT rota solver as a pure function — coverage met when it can be, gaps reported when
not, rest between shifts, leave respected, fairness spread within 1."""

import itertools
from datetime import date, datetime, timedelta

from kefu.workforce.solver import Need, Person, Problem, Template, solve

EARLY = Template("early", 8 * 60, 8 * 60)
MIDDLE = Template("middle", 16 * 60, 8 * 60)
NIGHT = Template("night", 0, 8 * 60, night=True)
THREE = [EARLY, MIDDLE, NIGHT]
MONDAY = date(2026, 12, 7)
REST = 11 * 60


def week(n=7):
    return [MONDAY + timedelta(days=i) for i in range(n)]


def needs(days, staff=1, templates=THREE, skills=None):
    return {(d, t.code): Need(staff, dict(skills or {})) for d in days for t in templates}


def people(n, skilled=()):
    return [Person(i, frozenset({"vip"}) if i in skilled else frozenset()) for i in range(1, n + 1)]


def shifts_of(result, pid):
    return sorted((d, c) for p, d, c in result.assignments if p == pid)


def starts(day, code):
    t = {t.code: t for t in THREE}[code]
    return datetime.combine(day, datetime.min.time()) + timedelta(minutes=t.start)


def test_coverage_met_when_feasible():  # WFM-1
    days = week()
    result = solve(Problem(people(6), THREE, days, needs(days, 1), rest_minutes=REST, time_limit=10))
    assert result.status in ("optimal", "feasible")
    assert result.gaps == []
    for d in days:
        for t in THREE:
            assert sum(1 for _p, day, c in result.assignments if day == d and c == t.code) >= 1


def test_gaps_reported_when_not_feasible():  # WFM-1
    days = week(2)
    result = solve(Problem(people(2), THREE, days, needs(days, 1), rest_minutes=REST, time_limit=10))
    # two people, one shift a day each: 4 of the 6 shifts are staffed, 2 are gaps
    assert sum(g.missing for g in result.gaps) == 2
    assert len(result.assignments) == 4


def test_skill_gap_reported():  # WFM-1
    days = week(1)
    result = solve(
        Problem(people(4, skilled={1}), THREE, days, needs(days, 1, skills={"vip": 1}), REST, time_limit=10)
    )
    vip_gaps = [g for g in result.gaps if g.skill == "vip"]
    assert sum(g.missing for g in vip_gaps) == 2  # one skilled person, one shift a day


def test_rest_respected_and_one_shift_a_day():  # WFM-1
    days = week()
    result = solve(Problem(people(5), THREE, days, needs(days, 1), rest_minutes=REST, time_limit=10))
    for p in range(1, 6):
        mine = shifts_of(result, p)
        assert len({d for d, _c in mine}) == len(mine)
        spans = sorted((starts(d, c), starts(d, c) + timedelta(minutes=480)) for d, c in mine)
        for (_s1, e1), (s2, _e2) in itertools.pairwise(spans):
            assert s2 - e1 >= timedelta(minutes=REST)


def test_rest_against_previous_period():  # WFM-1
    days = week(1)
    # person 1 ended a shift at 23:00 the evening before: no early (08:00) nor night (00:00) shift
    previous = {1: datetime.combine(MONDAY - timedelta(days=1), datetime.min.time()) + timedelta(hours=23)}
    result = solve(
        Problem(people(3), THREE, days, needs(days, 1), REST, previous_end=previous, time_limit=10)
    )
    assert shifts_of(result, 1) in ([], [(MONDAY, "middle")])
    assert result.gaps == []


def test_leave_respected():  # WFM-1
    days = week()
    off = {1: {days[0], days[1], days[2]}}
    result = solve(Problem(people(6), THREE, days, needs(days, 1), REST, unavailable=off, time_limit=10))
    assert not any(p == 1 and d in off[1] for p, d, _c in result.assignments)
    assert result.gaps == []


def test_fairness_spread_within_one():  # WFM-1
    days = week(14)
    holidays = frozenset({days[3], days[4]})
    result = solve(Problem(people(7), THREE, days, needs(days, 1), REST, holidays=holidays, time_limit=15))
    assert result.gaps == []
    for kind in ("shifts", "nights", "weekends", "holidays"):
        assert result.spread(kind) <= 1, (kind, result.counts)
