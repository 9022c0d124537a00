"""Routing decision latency with availability computed from rota + leave (issue 15, LV-5, ROUTE-1).

    .venv/bin/python bench/availability.py --db sqlite
    .venv/bin/python bench/availability.py --db postgresql --pg-url postgresql://postgres@127.0.0.1:5432/postgres
    options: --people N (members of the hotline group, default 60) --leaves N (default 20000) --calls N

Builds its own database: the demo organisation, a hotline skill group of N agents, a PUBLISHED rota of
4 weeks for their team with three 8-hour shifts a day spread over the agents (plus 20 earlier weeks),
N leave requests over the past and next year (a third approved), and a few manual overrides. Then it
times the routing decision intake makes — `least_loaded(available_members(group))`, one query — with
only the manual flag (what routing read before issue 15: the workforce provider unregistered) and
with rota + leave + override (the provider registered), alternating in blocks of 100 calls (so a
shared machine's other jobs weigh on both alike), and prints p50/p99 of each and their ratio.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from claims import setup_database

WEEKS_BEFORE = 20
BLOCK = 100  # calls in a row of one kind


def build(people: int, leaves: int) -> object:
    from django.contrib.auth import get_user_model

    from kefu import demo
    from kefu.cases.models import Availability, Office, SkillGroup
    from kefu.core import clock
    from kefu.org.models import Employee, Post, Unit
    from kefu.workforce.models import LeaveKind, LeaveRequest, LeaveState, Rota, RotaShift, RotaState

    User = get_user_model()
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@example.invalid", "bench-admin-pass")
    demo.load(service_cases=False)
    unit = Unit.objects.get(code="realty-cs-hotline")
    post = Post.objects.first()
    users = User.objects.bulk_create([User(username=f"bench{i:04d}") for i in range(people)])
    staff = Employee.objects.bulk_create(
        [
            Employee(user=u, number=f"BN{i:05d}", name=f"坐席{i:03d}", unit=unit, post=post)
            for i, u in enumerate(users)
        ]
    )
    group = SkillGroup.objects.create(
        unit=unit, code="bench-avail", name="热线组", office=Office.FRONT, families=["consultation"]
    )
    group.members.set(staff)
    now = clock.now()
    today = clock.today()
    start_day = today - timedelta(days=7 * WEEKS_BEFORE)
    rota = Rota.objects.create(
        unit=unit,
        starts_on=start_day,
        ends_on=today + timedelta(days=27),
        state=RotaState.PUBLISHED,
        created_at=now,
    )
    midnight = clock.local(now).replace(hour=0, minute=0, second=0, microsecond=0)
    first = midnight - timedelta(days=7 * WEEKS_BEFORE)
    shifts = []
    for day in range(7 * WEEKS_BEFORE + 28):
        for slot in range(3):
            begin = first + timedelta(days=day, hours=8 * slot)
            for person in staff[(day + slot) % 3 :: 3][: max(1, people // 4)]:
                shifts.append(
                    RotaShift(rota=rota, employee=person, starts_at=begin, ends_at=begin + timedelta(hours=8))
                )
    RotaShift.objects.bulk_create(shifts, batch_size=5000)
    rng = random.Random(15)
    rows = []
    for i in range(leaves):
        person = staff[i % people]
        begin = midnight + timedelta(days=rng.randint(-365, 365))
        state = LeaveState.APPROVED if i % 3 == 0 else rng.choice([LeaveState.PENDING, LeaveState.REJECTED])
        rows.append(
            LeaveRequest(
                employee=person,
                unit=unit,
                kind=LeaveKind.LEAVE,
                starts_at=begin,
                ends_at=begin + timedelta(days=rng.randint(1, 3)),
                days=1,
                reason="bench",
                arrangement="bench",
                state=state,
                requested_at=begin - timedelta(days=3),
            )
        )
    LeaveRequest.objects.bulk_create(rows, batch_size=5000)
    for person in staff[:3]:
        Availability.objects.create(employee=person, available=False, note="bench", updated_at=now)
    return group, len(shifts)


def measure(group, calls: int) -> list[float]:
    from kefu.cases.queries import routing

    timings = []
    for _ in range(calls):
        began = time.perf_counter()
        routing.least_loaded(routing.available_members(group))
        timings.append((time.perf_counter() - began) * 1000)
    return timings


def figures(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.99) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--db-name", default="kefu_bench_availability")
    parser.add_argument("--people", type=int, default=60)
    parser.add_argument("--leaves", type=int, default=20000)
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    setup_database(args.db, args.pg_url, args.db_name)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kefu.cases.queries import routing

    group, shifts = build(args.people, args.leaves)
    print(f"{args.db}: {args.people} agents, {shifts} published shifts, {args.leaves} leave requests")
    providers = dict(routing._UNAVAILABLE)
    measure(group, 100)  # warm up
    # the two alternate in blocks of 100 calls, so the other jobs of a shared machine weigh on both alike
    before_times, after_times = [], []
    for _ in range(max(1, args.calls // BLOCK)):
        routing._UNAVAILABLE.clear()  # before issue 15: the manual flag only
        before_times += measure(group, BLOCK)
        routing._UNAVAILABLE.update(providers)  # rota + leave + override
        after_times += measure(group, BLOCK)
    before, after = figures(before_times), figures(after_times)
    with CaptureQueriesContext(connection) as queries:
        routing.least_loaded(routing.available_members(group))
    print(f"manual flag only : p50 {before[0]:.2f} ms  p99 {before[1]:.2f} ms")
    print(f"rota+leave+flag  : p50 {after[0]:.2f} ms  p99 {after[1]:.2f} ms  ({len(queries)} query)")
    print(f"ratio after/before: p50 {after[0] / before[0]:.2f}  p99 {after[1] / before[1]:.2f}")


if __name__ == "__main__":
    main()
