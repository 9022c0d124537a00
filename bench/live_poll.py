"""What the live queue costs per open browser (issue 13): the conditional poll of `/inbox/live/`.

    .venv/bin/python bench/live_poll.py --db sqlite --cases 100000 --agents 200 --every 15
    .venv/bin/python bench/live_poll.py --db postgresql --pg-url postgresql://postgres@127.0.0.1:5432/postgres

Builds the demo organisation, N generated cases (10 % open) and `--agents` agents in the realty hotline
skill group; every case gets one of the agents as owner (each agent: N / agents cases of history,
a tenth of them open) and every agent 100 read and 3 unread inbox messages. Then, in-process through
Django's test client (the full middleware stack: session, authentication, CSRF, CSP), for each agent
signed in with 我的工单 open:

- the poll that finds nothing changed (If-None-Match → 304),
- the poll after a message reached the agent (200: badge, count, the list's version),
- the list's re-render that a changed version triggers (`GET /cases/` with HX-Request: the rows),
- for comparison, a full reload of 我的工单 (what an agent does without the live queue).

Prints per request: CPU ms of this process (p50/p90; on SQLite it includes the database's work, on
PostgreSQL the server backend's CPU is not in it — wall ms is printed too), SQL statements, bytes on
the wire (status line, headers and body, uncompressed; median over the agents), and the server's load for `--agents` browsers
polling every `--every` seconds. Finally the memory of one fresh sync worker (VmRSS after Django is
loaded and has answered one poll), which is what a server-sent-events stream costs per browser when
each open stream holds a sync gunicorn worker.
"""

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases import generate, load_demo
from claims import setup_database

READ_MESSAGES, UNREAD_MESSAGES = 100, 3


def make_agents(count: int) -> list:
    """`count` agents in the realty hotline group, each owning an equal share of every case."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from kefu.cases.actions import workload
    from kefu.cases.models import Case, SkillGroup
    from kefu.core.actions import new_config_generation
    from kefu.org.models import Employee, RoleAssignment

    User = get_user_model()
    model = Employee.objects.select_related("unit", "post").get(user__username="zhaomin")
    with transaction.atomic():
        users = User.objects.bulk_create(
            [User(username=f"agent{i:04d}", password="!") for i in range(count)]  # noqa: S106 — unusable
        )
        users = list(User.objects.filter(username__startswith="agent").order_by("pk"))
        agents = Employee.objects.bulk_create(
            [
                Employee(user=u, number=f"B{i:05d}", name=f"坐席{i}", unit=model.unit, post=model.post)
                for i, u in enumerate(users)
            ]
        )
        agents = list(Employee.objects.filter(number__startswith="B").select_related("user").order_by("pk"))
        roles = list(RoleAssignment.objects.filter(employee=model))  # 赵敏's: 客服专员, own scope
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(employee=a, role_id=r.role_id, unit_id=r.unit_id) for a in agents for r in roles]
        )
        new_config_generation()  # bulk rows send no signal: the kept grants are read again
        group = SkillGroup.objects.filter(unit=model.unit).first()
        group.members.add(*agents)
        first, step = agents[0].pk, len(agents)
        with connection.cursor() as cursor:  # round-robin by tens (a tenth of the generated cases is open)
            cursor.execute(
                "UPDATE cases_case SET owner_id = %s + ((id / 10) %% %s), unit_id = %s",
                [first, step, model.unit_id],
            )
        Case.objects.filter(state="investigating").update(skill_group=group)
    workload.recount()
    return agents


def add_messages(agents) -> None:
    from kefu.core import clock
    from kefu.engine.notifications.models import Notification

    now = clock.now()
    rows = []
    for agent in agents:
        for n in range(READ_MESSAGES + UNREAD_MESSAGES):
            rows.append(
                Notification(
                    recipient=agent.user,
                    template="test.message",
                    language="zh-hans",
                    subject=f"消息 {n}",
                    link="/cases/",
                    created_at=now,
                    read_at=now if n < READ_MESSAGES else None,
                )
            )
    Notification.objects.bulk_create(rows, batch_size=5000)


def wire_bytes(response) -> int:
    head = len(f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n")
    head += sum(len(f"{k}: {v}\r\n") for k, v in response.items()) + 2
    return head + len(response.content)


def tell(agent) -> None:
    from kefu.core import clock
    from kefu.engine.notifications.models import Notification

    Notification.objects.create(
        recipient=agent.user,
        template="test.message",
        language="zh-hans",
        subject="新消息",
        created_at=clock.now(),
    )


def one_agent(agent, first: bool, kinds: dict, sizes: dict, statements: dict) -> None:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(agent.user)
    watch = {"watch": "cases.queue"}
    client.get("/cases/")  # the page is open (and warms the process on the first agent)
    etag = client.get("/inbox/live/", watch)["ETag"]
    calls = {
        "poll 304": lambda: client.get("/inbox/live/", watch, HTTP_IF_NONE_MATCH=etag),
        "list rows (on change)": lambda: client.get("/cases/", HTTP_HX_REQUEST="true"),
        "full 我的工单 reload": lambda: client.get("/cases/"),
    }

    def timed(name, call, status):
        wall, cpu = time.perf_counter(), time.process_time()
        response = call()
        kinds[name].append(((time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000))
        assert response.status_code == status, (name, response.status_code)
        sizes.setdefault(name, []).append(wire_bytes(response))
        return response

    timed("poll 304", calls["poll 304"], 304)
    tell(agent)
    changed = timed("poll 200", calls["poll 304"], 200)  # the same request, after a message arrived
    timed("list rows (on change)", calls["list rows (on change)"], 200)
    timed("full 我的工单 reload", calls["full 我的工单 reload"], 200)
    if not first:
        return
    etag = changed["ETag"]  # statements once (the debug cursor would distort the CPU figures)
    for name, call in calls.items():
        with CaptureQueriesContext(connection) as captured:
            call()
        statements[name] = len(captured)
    tell(agent)
    with CaptureQueriesContext(connection) as captured:
        calls["poll 304"]()
    statements["poll 200"] = len(captured)
    reset_queries()


def measure(agents, every: int) -> dict:
    kinds = {"poll 304": [], "poll 200": [], "list rows (on change)": [], "full 我的工单 reload": []}
    statements, sizes = {}, {}
    for n, agent in enumerate(agents):
        one_agent(agent, n == 0, kinds, sizes, statements)
    rate = len(agents) / every
    print(f"\n{len(agents)} agents polling every {every} s: the server sees {rate:.1f} polls/s\n")
    print("| request | CPU ms p50 / p90 | wall ms p50 | statements | bytes | CPU per second, all agents |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, samples in kinds.items():
        cpu = sorted(s[0] for s in samples[1:])  # the first agent warms the process
        wall = sorted(s[1] for s in samples[1:])
        p50, p90 = statistics.median(cpu), cpu[int(len(cpu) * 0.9)]
        load = f"{rate * p50:.0f} ms/s" if name.startswith("poll") else "—"
        print(
            f"| {name} | {p50:.2f} / {p90:.2f} | {statistics.median(wall):.2f} | {statements[name]} "
            f"| {statistics.median(sizes[name]):.0f} | {load} |"
        )
    return kinds


WORKER_RSS = """
import django, re
django.setup()
from django.test import Client
from django.contrib.auth import get_user_model
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(get_user_model().objects.get(username="agent0001"))
assert client.get("/inbox/live/", {"watch": "cases.queue"}).status_code == 200
print(re.search(r"VmRSS:\\s+(\\d+)", open("/proc/self/status").read()).group(1))
"""


def worker_rss_mb(env: dict) -> float:
    import os

    out = subprocess.run(
        [sys.executable, "-c", WORKER_RSS],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--db-name", default="kefu_bench_live")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument(
        "--every", type=int, default=15, help="poll interval, seconds (KEFU_LIVE_POLL_SECONDS)"
    )
    args = parser.parse_args()
    env = setup_database(args.db, args.pg_url, args.db_name)
    print(f"{args.db}: demo, {args.cases:,} cases, {args.agents} agents", flush=True)
    load_demo()
    generate(args.cases)
    agents = make_agents(args.agents)
    add_messages(agents)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    measure(agents, args.every)
    rss = worker_rss_mb(env)
    print(
        f"\nOne fresh sync worker after one poll: {rss:.0f} MB resident. Server-sent events with sync "
        f"workers hold one worker per open stream: {args.agents} browsers → {args.agents} workers ≈ "
        f"{args.agents * rss / 1024:.1f} GB, against 2–4 workers for the polls."
    )


if __name__ == "__main__":
    main()
