"""The CLM-4 race, repeated: 64 simultaneous registrations of one new phone through the HTTP API,
100 rounds, against gunicorn. Every round must give exactly one 201, 63 × 409 and no 5xx.

    .venv/bin/python bench/claims_race.py --db sqlite
    .venv/bin/python bench/claims_race.py --db postgresql [--pg-url postgresql://postgres@127.0.0.1:5432/postgres]
    options: --rounds 100 --workers 16
"""

import argparse
import threading
import time
from collections import Counter

from claims import call, load_people, setup_database, start_server, stop_server

RACERS = 64


def one_round(port: int, tokens: list[str], n: int) -> Counter:
    body = {"customer": {"name": f"抢{n}", "phone": f"1880{n:07d}", "address": f"杭州市上城区解放路 {n} 号"}}
    barrier = threading.Barrier(RACERS)
    statuses: list[int] = []
    lock = threading.Lock()

    def racer(i: int):
        barrier.wait()
        try:
            status, _ = call(port, "POST", "/api/v1/claims", tokens[i % len(tokens)], body)
        except OSError:
            status = 0  # transport failure: counted, never hidden
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=racer, args=(i,)) for i in range(RACERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Counter(statuses)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--workers", type=int, default=16)
    args = parser.parse_args()
    env = setup_database(args.db, args.pg_url, "kefu_bench_claims_race")
    tokens = load_people()
    server, port = start_server(env, args.workers)
    bad, total, started = [], Counter(), time.perf_counter()
    try:
        for n in range(args.rounds):
            counts = one_round(port, tokens, n)
            total.update(counts)
            if counts[201] != 1 or counts[409] != RACERS - 1:
                bad.append((n, dict(counts)))
    finally:
        stop_server(server)
    took = time.perf_counter() - started
    print(f"{args.db}: {args.rounds} rounds × {RACERS} racers in {took:.0f} s; totals {dict(total)}")
    print(f"rounds with exactly one winner and {RACERS - 1} × 409: {args.rounds - len(bad)}/{args.rounds}")
    for n, counts in bad:
        print(f"  round {n}: {counts}")


if __name__ == "__main__":
    main()
