"""Global search (issue 13): two-character Chinese terms over 1,000,000 cases on PostgreSQL (100,000 on
SQLite), p50/p99 at one client through the HTTP API, next to the case list's own search.

    .venv/bin/python bench/search.py --db postgresql       # 1,000,000 cases (database kefu_bench_search)
    .venv/bin/python bench/search.py --db sqlite           # 100,000 cases
    options: --cases N --requests N (per term) --keep (PostgreSQL: reuse the cases of an earlier run)

The cases are bulk-generated (`cases.generate`) with realistic Chinese titles and descriptions: a
place, one or two of ~25 everyday problems drawn with skewed weights (漏水 is in about one case in
ten), a detail and a request; rare words (白蚁, 甲醛 …) are slipped into a fixed small share of cases.
On PostgreSQL the gram index is dropped before the load and rebuilt after it (as a bulk load would),
and the build is timed: it is what cases migration 0010 costs on a database of that size.
Then the product is served by gunicorn and `GET /api/v1/search?q=` is driven at one client for each
term, for a manager who sees the subsidiary (lina) and an agent (zhaomin); `GET /api/v1/cases?q=` —
the case list's search over every state — once per term for lina.
"""

import argparse
import random
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases import attach_database, generate, load_demo
from claims import drive, setup_database, start_server, stop_server

PLACES = [
    "{n}栋{u}单元",
    "{n}号楼",
    "地下车库",
    "小区东门",
    "小区西门",
    "中心花园",
    "会所",
    "售楼处",
    "{n}号商铺",
]
# (word, weight): the problem a case is about; 漏水 is about one case in ten
PROBLEMS = [
    ("卫生间漏水", 6),
    ("厨房漏水", 4),
    ("电梯故障", 6),
    ("停车位纠纷", 5),
    ("夜间噪音", 5),
    ("物业费收取", 6),
    ("绿化维护", 3),
    ("门禁失灵", 4),
    ("快递丢失", 3),
    ("垃圾清运不及时", 4),
    ("路灯不亮", 3),
    ("水压偏低", 3),
    ("突然停电", 3),
    ("邻居装修扰民", 4),
    ("宠物扰民", 2),
    ("安保巡逻", 2),
    ("维修进度慢", 5),
    ("交房延期", 2),
    ("墙面开裂", 3),
    ("网络信号差", 2),
    ("燃气表读数", 2),
    ("外墙渗水", 3),
    ("窗户密封不严", 2),
    ("地暖不热", 3),
    ("车辆剐蹭", 2),
]
DETAILS = [
    "已经持续一周",
    "多次反映未解决",
    "影响正常生活",
    "希望尽快上门查看",
    "昨天晚上开始出现",
    "家中有老人小孩",
    "之前维修过一次",
    "邻居也有同样情况",
    "客户情绪比较激动",
    "要求给出书面答复",
]
REQUESTS = [
    "请尽快安排处理。",
    "请回电说明进度。",
    "要求物业给个说法。",
    "请安排师傅上门。",
    "希望给予补偿。",
]
# rare words and the share of cases that mention them
RARE = [("发现白蚁", 0.00002), ("甲醛超标", 0.0005), ("蜂巢", 0.0001)]
COMMON_TERMS = ["漏水", "物业", "电梯", "噪音"]
RARE_TERMS = ["白蚁", "甲醛", "蜂巢", "鲸鱼"]  # 鲸鱼: in no case at all
SEARCH_USERS = ("lina", "zhaomin")


def case_text(rng: random.Random):
    """A function i → (title, description) of realistic Chinese case text, deterministic by `rng`."""
    words = [w for w, _ in PROBLEMS]
    weights = [n for _, n in PROBLEMS]

    def text(i: int) -> tuple[str, str]:
        place = rng.choice(PLACES).format(n=rng.randint(1, 40), u=rng.randint(1, 4))
        problem = rng.choices(words, weights)[0]
        title = f"{place}{problem}"
        parts = [f"业主来电反映{place}{problem}", rng.choice(DETAILS)]
        if rng.random() < 0.3:
            parts.append(f"另外{rng.choices(words, weights)[0]}")
        for word, share in RARE:
            if rng.random() < share:
                parts.append(word)
        return title, "，".join(parts) + "，" + rng.choice(REQUESTS)

    return text


def build(args) -> tuple[dict, dict]:
    """The database with its cases; (server environment, bearer tokens by username)."""
    count = args.cases or (1_000_000 if args.db == "postgresql" else 100_000)
    if args.keep and args.db == "postgresql":
        env = attach_database(args.pg_url, args.db_name)
        print(f"database: postgresql, cases of an earlier run kept ({args.db_name})", flush=True)
        return env, load_demo()
    env = setup_database(args.db, args.pg_url, args.db_name)
    tokens = load_demo()
    from django.db import connection

    from kefu.cases.queries.intake import TEXT_COLUMNS
    from kefu.core import textsearch

    print(f"database: {args.db}, generating {count:,} cases", flush=True)
    pg = connection.vendor == "postgresql"
    if pg:
        with connection.cursor() as cursor:
            cursor.execute('DROP INDEX IF EXISTS "cases_text_grams"')
    generate(count, text=case_text(random.Random(13)))
    if pg:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for statement in textsearch.index_sql("cases_case", "cases_text_grams", TEXT_COLUMNS):
                cursor.execute(statement)
            cursor.execute("ANALYZE cases_case")
        print(f"  gram index built in {time.perf_counter() - started:.0f} s", flush=True)
    return env, tokens


def shares() -> None:
    """How many cases each term is in (what 'common' and 'rare' mean here)."""
    from kefu.cases.models import Case

    total = Case.objects.count()
    for term in COMMON_TERMS + RARE_TERMS:
        found = Case.objects.filter(description__contains=term).count()
        print(f"  {term}: in {found:,} of {total:,} cases ({found / total:.3%})", flush=True)


def counted_statements(username: str, term: str) -> int:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kefu.core.actor import Actor
    from kefu.search import queries

    user = get_user_model().objects.get(username=username)
    with CaptureQueriesContext(connection) as captured:
        queries.search(Actor(user=user, origin="bench"), term)
    return len(captured)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="postgresql")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--db-name", default="kefu_bench_search")
    parser.add_argument("--cases", type=int)
    parser.add_argument("--requests", type=int, default=100, help="requests per term and user")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    env, tokens = build(args)
    shares()
    for term in ("漏水", "白蚁"):
        print(f"  statements per search ({term}, lina): {counted_statements('lina', term)}", flush=True)
    server, port = start_server(env, args.workers)
    try:
        for label, terms in (("common", COMMON_TERMS), ("rare", RARE_TERMS)):
            for username in SEARCH_USERS:
                jobs = [
                    ("GET", f"/api/v1/search?q={quote(term)}", tokens[username], None)
                    for term in terms
                    for _ in range(args.requests)
                ]
                drive(port, 1, jobs[:4])  # warm the worker
                result = drive(port, 1, jobs)
                print(
                    f"search, {label} terms {'/'.join(terms)}, {username}, 1 client: "
                    f"p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms {result['statuses']}",
                    flush=True,
                )
            jobs = [
                ("GET", f"/api/v1/cases?q={quote(term)}&limit=30", tokens["lina"], None)
                for term in terms
                for _ in range(max(args.requests // 4, 5))
            ]
            result = drive(port, 1, jobs)
            print(
                f"case list ?q= (every state), {label} terms, lina, 1 client: "
                f"p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms {result['statuses']}",
                flush=True,
            )
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
