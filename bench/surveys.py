"""CSAT-1: the public survey answer endpoint under load — p50/p99 at 32 concurrent clients against a
real server (gunicorn, sync workers) on loopback, SQLite and PostgreSQL.

    .venv/bin/python bench/surveys.py --db sqlite
    .venv/bin/python bench/surveys.py --db postgresql [--pg-url postgresql://postgres@127.0.0.1:5432/postgres]
    options: --surveys 300 --clients 1,32 --seconds 20 --workers 4 --unsatisfied 0.1

Builds a fresh database with the whole demo (its month of answered surveys included), then closes
`--surveys` consultations of 吕欣 through the actions (the customer says satisfied on the status page,
the agent closes: each case gets its survey) and issues each a link whose token the bench keeps.
Each client POSTs /api/v1/public/surveys/answers (no login, token in the body) in a closed loop:
a token drawn at random — so the same survey is now and then answered twice, a second answer
replacing the first — rated 满意 except `--unsatisfied` of them (不满意 with words: the case reopens to
the supervisor, the heavy path). The server runs behind-proxy mode and every request carries its own
X-Forwarded-For address, so the per-address rate limit is checked (one count and one insert per
request) without refusing the load. Prints p50/p99, answers per second and the statuses seen (any
429 or 5xx is shown, never hidden), and the statements of one answer of each kind measured
in-process.
"""

import argparse
import json
import random
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from claims import setup_database, start_server, stop_server
from loadgen import closed_loop, fmt

PATH = "/api/v1/public/surveys/answers"
GOOD = {"service": "satisfied", "solution": "satisfied"}
BAD = {"service": "neutral", "solution": "unsatisfied"}


def make_surveys(n: int) -> list[str]:
    """`n` closed consultations of 吕欣, each with a survey; the raw tokens (only hashes are stored)."""
    from django.contrib.auth import get_user_model

    from kefu import demo
    from kefu.cases import actions as case_actions
    from kefu.cases.actions import public, routing
    from kefu.core.actor import Actor
    from kefu.followups.actions import survey_links
    from kefu.org.access import actor_for
    from kefu.org.models import Employee

    User = get_user_model()
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@example.invalid", "bench-admin-pass")
    demo.load()
    people = {e.user.username: e for e in Employee.objects.select_related("user", "unit")}
    lvxin, gaofeng = (
        actor_for(people["lvxin"].user, origin="bench"),
        actor_for(people["gaofeng"].user, origin="bench"),
    )
    tokens = []
    for i in range(n):
        case, _ = case_actions.create_case(
            lvxin,
            unit=people["lvxin"].unit,
            kind="consultation",
            channel="phone",
            title=f"压测咨询 {i}",
            contact={"name": "压测客户", "phone": f"1390999{i:04d}"},
        )
        if case.owner_id != people["lvxin"].pk:
            routing.assign(gaofeng, case, people["lvxin"])
            case.refresh_from_db()
        for step, data in (
            ("accept", None),
            ("propose", {"solution": "已处理"}),
            ("inform", {"customer_reply": "已处理"}),
        ):
            case = case_actions.act(lvxin, case, step, data=data)
        case = public.rate(case, satisfied=True)
        case = case_actions.act(lvxin, case, "close")
        tokens.append(survey_links.issue(Actor.system("bench"), case)[1])
    return tokens


def statements(tokens: list[str]) -> tuple[int, int]:
    """Statements of one satisfied and one unsatisfied answer, in-process (caches warm)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kefu.core import memo
    from kefu.followups.actions import surveys

    surveys.answer_by_token(token=tokens[0], ratings=GOOD, ip="192.0.2.1")
    counts = []
    for token, ratings in ((tokens[1], GOOD), (tokens[2], BAD)):
        with memo.scope(), CaptureQueriesContext(connection) as seen:
            surveys.answer_by_token(token=token, ratings=ratings, words="压测", ip="192.0.2.2")
        counts.append(len(seen))
    return counts[0], counts[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument(
        "--db-name", default="kefu_bench_surveys", help="PostgreSQL database (dropped, rebuilt)"
    )
    parser.add_argument("--surveys", type=int, default=300)
    parser.add_argument("--clients", default="1,32", help="client counts, comma separated")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--unsatisfied", type=float, default=0.1)
    args = parser.parse_args()
    env = setup_database(args.db, args.pg_url, args.db_name)
    env["KEFU_BEHIND_PROXY"] = "1"
    tokens = make_surveys(args.surveys)
    satisfied_sql, unsatisfied_sql = statements(tokens)
    print(
        f"database: {args.db}; {len(tokens)} surveys; statements per answer: 满意 {satisfied_sql}, 不满意 {unsatisfied_sql}"
    )
    rng, serial, lock = random.Random(14), iter(range(10**9)), threading.Lock()

    def request():
        with lock:
            n = next(serial)
            unhappy = rng.random() < args.unsatisfied
            token = rng.choice(tokens)
        body = {"token": token, "ratings": BAD if unhappy else GOOD, "words": "压测意见" if unhappy else ""}
        # one address per request: the rate limit is counted, never reached
        headers = {
            "Content-Type": "application/json",
            "X-Forwarded-For": f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}",
        }
        return "POST", PATH, headers, json.dumps(body).encode()

    server, port = start_server(env, args.workers)
    try:
        for clients in (int(c) for c in args.clients.split(",")):
            summary = closed_loop("127.0.0.1", port, clients, args.seconds, request, warmup=3.0)
            print(
                f"survey answer, {clients} clients, {args.workers} gunicorn workers: "
                f"p50 {fmt(summary.p50_ms, 1)} ms, p99 {fmt(summary.p99_ms, 1)} ms, "
                f"{fmt(summary.rate, 1)} answers/s over {summary.window:.1f} s; "
                f"statuses {dict(sorted(summary.statuses.items()))}",
                flush=True,
            )
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
