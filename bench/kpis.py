"""KPIs and dashboards at a million cases (issue 16, KPI-1): the 本月 dashboard, the KPI drill-down, the
full rebuild of the daily facts and what keeping them costs a case write — on PostgreSQL.

    .venv/bin/python bench/kpis.py                                  # 1,000,000 cases, 100,000 answers
    .venv/bin/python bench/kpis.py --cases 20000 --answers 2000 --requests 60 --seconds 5   # quick look
    options: --pg-url URL --db-name NAME --keep --requests N (intakes per phase) --seconds S (per page
             measurement) --workers N --urls /insights/month/,/insights/kpis/ --phases ABAB

1. Data: a fresh database (`--keep`: the one an earlier run left, facts rebuilt again) with the demo
   organisation (`bench/cases.py load_demo`) plus 54 generated agents in the realty hotline and
   complaint teams and the water hotline, then N cases generated in the database (`INSERT … SELECT
   generate_series`) spread over 395 days up to now: 3 % complaints (owned by the complaint teams), the
   rest consultations, repairs, help and service requests, feedback, suggestions, 2 % internal reports;
   twelve problem categories; contacts encrypted (a pool of 1,000 real ciphertexts with their blind
   indexes); cases of the last week partly open, older ones closed (10 % of those older than 90 days
   archived); 4 % reopened once, 2 % bounced. Every case has the two SLA clocks an intake starts
   (first response 4 h, resolution 3 days — `engine.workflow` timers: met, missed or still running),
   so the facts read 2 × N clocks. Then `--answers` closed cases (every n-th, spread over the span) get their survey and one
   current customer answer (link, phone, status page, revisit; 91 % 满意, 6 % 一般, 3 % 不满意).
2. The full rebuild (`kefu manage insights_rebuild`, in-process), timed; the rows it wrote.
3. gunicorn (`--workers` sync workers) and closed-loop clients (bench/loadgen.py) with the session of
   张伟 (group-wide) and of 王芳 (华辰置业): every page of `--urls` (default: /insights/month/ when the
   本月 page exists, else /insights/kpis/), 1 and 4 clients; then the first page of the drill-down of
   three KPIs (/insights/kpis/<code>/) as 张伟. p50, p99 and mean per measurement.
4. The cost of the facts per case write, same run: intake (`POST /api/v1/cases` as 赵敏, 4 clients,
   `--requests` per phase) in phases A (no KPI sweep) and B (the KPI sweep running continuously in its
   own worker process), alternated (`--phases`); the audit sealer runs in both. Before a B phase the
   sweeper has caught up, after it the time to drain is measured. The statements of one intake are
   counted in-process (none may touch the insights tables), and the sweeper reports the audit rows and
   cases it read per second of sweeping; a sampler reads its lag (sealed rows not yet swept, and the age
   of the oldest) twice a second.
"""

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from claims import drive, setup_database, start_server, stop_server
from loadgen import closed_loop

ROOT = Path(__file__).resolve().parents[1]
DAYS = 395  # ~13 months of history
PHONES = 1000  # distinct encrypted contact phones (real ciphertexts, reused)
TARGET_MS = 300  # issue 16: 本月 dashboard p99 < 300 ms
DRILLED = ("satisfaction", "complaint_rate", "on_time_closure")
CATEGORIES = [
    "物业服务",
    "房屋质量",
    "水电维修",
    "交付延期",
    "噪音扰民",
    "停车管理",
    "账单费用",
    "水质问题",
    "水压不足",
    "抄表计费",
    "绿化环境",
    "安保门禁",
]
# generated agents: (team code, how many, post of this demo person)
AGENTS = [
    ("realty-cs-hotline", 30, "zhaomin"),
    ("realty-cs-complaints", 8, "wujing"),
    ("water-cs-hotline", 16, "lvxin"),
]
COMPLAINT_TEAMS = ("realty-cs-complaints",)
DEMO_AGENTS = ("zhaomin", "sunli", "lina", "wujing", "lvxin", "gaofeng")


# ---- data ----------------------------------------------------------------------------------------


def add_agents() -> dict[str, list[tuple[int, int]]]:
    """The generated agents (users without a usable password); (employee id, unit id) of every agent
    who takes cases, split into complaint handlers and the others."""
    from django.contrib.auth import get_user_model

    from kefu.org.models import Employee, Unit

    User = get_user_model()
    units = {u.code: u for u in Unit.objects.all()}
    posts = {e.user.username: e.post_id for e in Employee.objects.select_related("user")}
    if not Employee.objects.filter(number__startswith="BK").exists():
        n = 0
        for team, count, like in AGENTS:
            for _ in range(count):
                n += 1
                user = User(username=f"bk{n:03d}", is_active=True)
                user.set_unusable_password()
                user.save()
                Employee.objects.create(
                    user=user, number=f"BK{n:03d}", name=f"坐席{n:03d}", unit=units[team], post_id=posts[like]
                )
    agents = {"complaints": [], "others": []}
    rows = Employee.objects.filter(number__startswith="BK") | Employee.objects.filter(
        user__username__in=DEMO_AGENTS
    )
    for e in rows.select_related("unit"):
        agents["complaints" if e.unit.code in COMPLAINT_TEAMS else "others"].append((e.pk, e.unit_id))
    return agents


def generate(count: int, answers: int, agents: dict) -> dict:
    """The cases, their clocks, surveys and answers, in the database; seconds per part."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from kefu.cases.models import Case, CaseKind
    from kefu.core import clock
    from kefu.core.crypto import blind_index, encrypt
    from kefu.followups.models import Questionnaire

    kinds = {k.family: k.pk for k in CaseKind.objects.filter(unit__isnull=True)}
    base = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    case_type = ContentType.objects.get_for_model(Case).pk
    questionnaire = Questionnaire.objects.filter(unit__isnull=True).order_by("-version").first()
    if questionnaire is None:
        questionnaire = Questionnaire.objects.create(version=1, items=[], created_at=clock.now())
    phones = [f"138{i:08d}" for i in range(PHONES)]
    params = {
        "n": count,
        "now": clock.now(),
        "span": DAYS * 86400,
        "cipher": [encrypt(p) for p in phones],
        "index": [blind_index(p) for p in phones],
        "categories": CATEGORIES,
        "c_owner": [o for o, _ in agents["complaints"]],
        "c_unit": [u for _, u in agents["complaints"]],
        "o_owner": [o for o, _ in agents["others"]],
        "o_unit": [u for _, u in agents["others"]],
        "open_states": ["routed", "investigating", "waiting", "solution"],
        "channels": ["phone", "phone", "phone", "web", "chat", "email", "walk_in"],
        **{f"k_{family}": pk for family, pk in kinds.items()},
    }
    seconds = {}
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.16)")
        cursor.execute(
            """
            CREATE TEMP TABLE bench_draw ON COMMIT DROP AS
            SELECT g AS n, %(now)s::timestamptz - random() * %(span)s * interval '1 second' AS received,
                   random() AS r_family, random() AS r_owner, random() AS r_state, random() AS r_resp,
                   random() AS r_res, random() AS r_close, random() AS r_flag, random() AS r_cat
            FROM generate_series(1, %(n)s) g
            """,
            params,
        )
        cursor.execute(
            """
            CREATE TEMP TABLE bench_case ON COMMIT DROP AS
            SELECT d.*,
              CASE WHEN r_family < 0.03 THEN 'complaint' WHEN r_family < 0.43 THEN 'consultation'
                   WHEN r_family < 0.63 THEN 'repair' WHEN r_family < 0.73 THEN 'feedback'
                   WHEN r_family < 0.78 THEN 'suggestion' WHEN r_family < 0.88 THEN 'help_request'
                   WHEN r_family < 0.98 THEN 'service_request' ELSE 'internal_report' END AS family,
              -- the last week partly open: the newer, the likelier
              (%(now)s::timestamptz - received < interval '7 days'
               AND r_state < 0.6 * (1 - extract(epoch FROM %(now)s::timestamptz - received) / 604800)) AS open,
              received + (2 + r_resp ^ 6 * 480) * interval '1 minute' AS responded,
              received + (30 + r_res ^ 6 * 10080) * interval '1 minute' AS resolved
            FROM bench_draw d
            """,
            params,
        )
        cursor.execute(
            """
            INSERT INTO cases_case (number, kind_id, family, channel, priority, state, title, description,
              extra, category, product, contact_name, contact_phone, contact_phone_index, contact_email,
              contact_email_index, identity_verified, calendar, received_at, first_response_at,
              resolved_at, closed_at, updated_at, solution, customer_reply, satisfied, transfer_count,
              bounce_count, reopen_count, major, staff_caused, staff_cause, root_cause, corrective_action,
              public_secret_hash, unit_id, owner_id, satisfaction_source)
            SELECT 'KB' || lpad(n::text, 9, '0'),
              CASE family WHEN 'complaint' THEN %(k_complaint)s WHEN 'consultation' THEN %(k_consultation)s
                WHEN 'repair' THEN %(k_repair)s WHEN 'feedback' THEN %(k_feedback)s
                WHEN 'suggestion' THEN %(k_suggestion)s WHEN 'help_request' THEN %(k_help_request)s
                WHEN 'service_request' THEN %(k_service_request)s ELSE %(k_internal_report)s END,
              family,
              (%(channels)s::text[])[1 + (n %% 7)], 'normal',
              CASE WHEN open THEN (%(open_states)s::text[])[1 + floor(r_flag * 4)::int]
                   WHEN %(now)s::timestamptz - received > interval '90 days' AND r_state > 0.9 THEN 'archived'
                   ELSE 'closed' END,
              (%(categories)s::text[])[1 + floor(r_cat * 12)::int] || '：客户来电反映问题 ' || n, '',
              '{}'::jsonb, (%(categories)s::text[])[1 + floor(r_cat * 12)::int], '',
              '客户' || n, (%(cipher)s::text[])[1 + n %% 1000], (%(index)s::text[])[1 + n %% 1000], '', '',
              false, 'office', received,
              CASE WHEN NOT open OR r_resp < 0.8 THEN LEAST(responded, %(now)s::timestamptz) END,
              CASE WHEN NOT open THEN LEAST(resolved, %(now)s::timestamptz - interval '2 minutes') END,
              CASE WHEN NOT open THEN LEAST(resolved + (10 + r_close * 2880) * interval '1 minute',
                                            %(now)s::timestamptz - interval '1 minute') END,
              %(now)s, '', '', CASE WHEN NOT open THEN true END,
              CASE WHEN r_flag < 0.15 THEN 1 ELSE 0 END,
              CASE WHEN NOT open AND r_flag >= 0.04 AND r_flag < 0.06 THEN 1 ELSE 0 END,
              CASE WHEN NOT open AND r_flag < 0.04 THEN 1 ELSE 0 END,
              false, false, '', '', '', '',
              CASE WHEN family = 'complaint'
                   THEN (%(c_unit)s::bigint[])[1 + floor(r_owner * cardinality(%(c_unit)s::bigint[]))::int]
                   ELSE (%(o_unit)s::bigint[])[1 + floor(r_owner * cardinality(%(o_unit)s::bigint[]))::int] END,
              CASE WHEN family = 'complaint'
                   THEN (%(c_owner)s::bigint[])[1 + floor(r_owner * cardinality(%(c_owner)s::bigint[]))::int]
                   ELSE (%(o_owner)s::bigint[])[1 + floor(r_owner * cardinality(%(o_owner)s::bigint[]))::int] END,
              CASE WHEN NOT open THEN 'survey' ELSE '' END
            FROM bench_case ORDER BY received
            """,
            params,
        )
    seconds["cases"] = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        # the two clocks an intake starts: first response (4 h), resolution (3 days); met, missed or running
        for name, key, start, end, due in (
            (
                "first_response",
                "sla.first_response",
                "received_at",
                "first_response_at",
                "interval '4 hours'",
            ),
            ("resolution", "sla.resolution", "received_at", "resolved_at", "interval '3 days'"),
        ):
            cursor.execute(
                f"""
                INSERT INTO workflow_timer (content_type_id, object_id, name, policy_key, policy_version,
                  rule, calendar, started_at, due_at, next_check_at, state, breached_at, stopped_at,
                  escalation_level)
                SELECT %(ct)s, id::text, %(name)s, %(key)s, 1, 'SLA-2', 'office', {start}, {start} + {due},
                  CASE WHEN {end} IS NULL AND {start} + {due} > %(now)s THEN {start} + {due} END,
                  CASE WHEN {end} IS NOT NULL THEN 'done'
                       WHEN {start} + {due} <= %(now)s THEN 'breached' ELSE 'running' END,
                  CASE WHEN coalesce({end}, %(now)s) > {start} + {due} THEN {start} + {due} END,
                  {end}, CASE WHEN coalesce({end}, %(now)s) > {start} + {due} THEN 1 ELSE 0 END
                FROM cases_case WHERE id > %(base)s
                """,  # the names and intervals are the constants above
                {"ct": case_type, "name": name, "key": key, "now": params["now"], "base": base},
            )
    seconds["clocks"] = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        # every n-th closed case, n chosen so that the answers spread over the whole span (the
        # 2026-12-05 run took every ninth from the oldest on: none in the last month)
        cursor.execute("SELECT count(*) FROM cases_case WHERE id > %s AND closed_at IS NOT NULL", [base])
        every = max(1, cursor.fetchone()[0] // max(answers, 1))
        cursor.execute(
            """
            INSERT INTO followups_survey (case_id, unit_id, agent_id, questionnaire_id, token_hash, issued_at,
              expires_at, channel)
            SELECT id, unit_id, owner_id, %(q)s, md5('kb-survey-' || id) || md5('kb-' || id), closed_at,
              closed_at + interval '7 days', 'sms'
            FROM cases_case WHERE id > %(base)s AND closed_at IS NOT NULL AND id %% %(every)s = 0
            ORDER BY id LIMIT %(answers)s
            """,
            {"q": questionnaire.pk, "base": base, "answers": answers, "every": every},
        )
        cursor.execute(
            """
            INSERT INTO followups_surveyanswer (survey_id, questionnaire_id, source, ratings, overall, words,
              current, at, by_id)
            SELECT s.id, s.questionnaire_id,
              CASE WHEN r < 0.65 THEN 'link' WHEN r < 0.85 THEN 'phone' WHEN r < 0.95 THEN 'status_page'
                   ELSE 'revisit' END,
              jsonb_build_object('service', v, 'solution', v), v, '', true,
              LEAST(s.issued_at + (r * 48) * interval '1 hour', %(now)s), NULL
            FROM (SELECT s.*, random() AS r,
                    CASE WHEN random() < 0.91 THEN 'satisfied' WHEN random() < 0.66 THEN 'neutral'
                         ELSE 'unsatisfied' END AS v
                  FROM followups_survey s JOIN cases_case c ON c.id = s.case_id WHERE c.id > %(base)s) s
            """,
            {"now": params["now"], "base": base},
        )
    seconds["answers"] = time.perf_counter() - started
    from kefu.cases.actions import workload

    workload.recount()  # the open-case counts routing reads (ROUTE-1): bulk rows bypass the actions
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # what autovacuum does to a live database after a bulk load
    seconds["vacuum"] = time.perf_counter() - started
    return seconds


def rebuild() -> dict:
    """`kefu manage insights_rebuild`, timed; what it wrote."""
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    from kefu.cases.models import Case
    from kefu.insights.models import CaseFact, DailyFact

    out = StringIO()
    started = time.perf_counter()
    call_command("insights_rebuild", stdout=out)
    took = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:  # what autovacuum does after a rebuild replaced every row
        cursor.execute("VACUUM ANALYZE insights_casefact")
        cursor.execute("VACUUM ANALYZE insights_dailyfact")
    return {
        "seconds": took,
        "vacuum": time.perf_counter() - started,
        "cases": Case.objects.count(),
        "case_facts": CaseFact.objects.count(),
        "daily_facts": DailyFact.objects.count(),
        "said": out.getvalue().strip(),
    }


# ---- measuring -----------------------------------------------------------------------------------


def intake_body(n: int) -> dict:
    return {
        "kind": ("consultation", "repair", "complaint", "help_request")[n % 4],
        "channel": "api",
        "title": f"基准测试工单 {n}",
        "description": "客户来电反映小区路灯不亮，请尽快处理。",
        "customer": {"name": f"来电客户{n}", "phone": f"177{n:08d}"},
    }


def intake_statements(token: str) -> tuple[int, int, Counter]:
    """One intake through the API in-process: its statements, those touching the insights tables."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {token}")
    client.post("/api/v1/cases", intake_body(10**7), content_type="application/json")  # warm caches
    with CaptureQueriesContext(connection) as captured:
        answer = client.post("/api/v1/cases", intake_body(10**7 + 1), content_type="application/json")
    assert answer.status_code == 201, answer.content
    tables = Counter()
    for query in captured.captured_queries:
        found = re.search(r'(?:FROM|INTO|UPDATE)\s+"(\w+)"', query["sql"])
        tables[found.group(1) if found else query["sql"].split()[0]] += 1
    insights = sum(1 for q in captured.captured_queries if "insights_" in q["sql"])
    return len(captured), insights, tables


def session_cookie(username: str) -> str:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=username))
    return f"sessionid={client.cookies['sessionid'].value}"


def page(port: int, path: str, cookie: str, clients: int, seconds: float) -> dict:
    def request():
        return "GET", path, {"Cookie": cookie, "Host": "127.0.0.1"}, None

    summary = closed_loop("127.0.0.1", port, clients, seconds, request, warmup=min(3.0, seconds))
    return {
        "n": summary.ok,
        "p50": summary.p50_ms,
        "p99": summary.p99_ms,
        "mean": statistics.fmean(summary.latencies) * 1000 if summary.latencies else 0.0,
        "statuses": dict(sorted(summary.statuses.items())),
    }


def lag() -> tuple[int, float]:
    """Sealed audit rows the KPI sweep has not read yet, and the age in seconds of the oldest."""
    from kefu.core import clock
    from kefu.core.models import AuditChainHead, AuditEvent
    from kefu.insights.models import FactCursor

    head = AuditChainHead.objects.filter(pk=1).values_list("last_seq", flat=True).first() or 0
    done = FactCursor.objects.filter(name="kpi").values_list("seq", flat=True).first() or 0
    oldest = AuditEvent.objects.filter(seq=done + 1).values_list("at", flat=True).first()
    behind = max(0, head - done)
    return behind, (clock.now() - oldest).total_seconds() if behind and oldest else 0.0


class Sampler(threading.Thread):
    """Reads the sweep's lag twice a second while a phase runs."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.rows, self.ages = [], []

    def run(self):
        from django.db import connection

        while not self.stop.wait(0.5):
            behind, age = lag()
            self.rows.append(behind)
            self.ages.append(age)
        connection.close()


def child(kind: str, env: dict, report: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, __file__, "--child", kind, "--report", str(report)],
        env={**os.environ, **env, "PYTHONPATH": str(ROOT / "src")},
        start_new_session=True,
    )


def stop_child(process: subprocess.Popen, report: Path) -> dict:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=120)
    return json.loads(report.read_text()) if report.exists() else {}


def run_child(kind: str, report: str) -> None:
    """A worker process: `sealer` seals the audit rows (both phases, as the worker does), `sweeper`
    runs the KPI sweep back to back (a pause of 0.2 s when nothing was waiting)."""
    import django

    django.setup()
    from kefu.core import audit, memo
    from kefu.insights.actions import kpis

    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    stats = {"rows": 0, "cases": 0, "busy": 0.0, "rounds": 0}
    refresh = kpis.refresh

    def counted(ids, **kw):
        stats["cases"] += len(ids)
        return refresh(ids, **kw)

    kpis.refresh = counted
    while not stopping.is_set():
        started = time.perf_counter()
        with memo.scope():
            n = audit.seal_pending() if kind == "sealer" else kpis.sweep()
        if n:
            stats["rows"] += n
            stats["rounds"] += 1
            stats["busy"] += time.perf_counter() - started
        else:
            stopping.wait(0.2)
    Path(report).write_text(json.dumps(stats))


def wait_caught_up(limit: float = 600) -> float:
    started = time.perf_counter()
    while lag()[0] and time.perf_counter() - started < limit:
        time.sleep(0.2)
    return time.perf_counter() - started


def fmt_page(found: dict) -> str:
    return (
        f"p50 {found['p50']:6.1f} ms, p99 {found['p99']:6.1f} ms, mean {found['mean']:6.1f} ms "
        f"({found['n']} requests) {found['statuses']}"
    )


def default_urls() -> str:
    month = ROOT / "src" / "kefu" / "insights" / "views" / "month.py"
    return "/insights/month/" if month.exists() else "/insights/kpis/"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", choices=["sealer", "sweeper"])
    parser.add_argument("--report")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--db-name", default="h_bench_kpis", help="PostgreSQL database (dropped, rebuilt)")
    parser.add_argument("--keep", action="store_true", help="reuse the data of an earlier run")
    parser.add_argument("--no-rebuild", action="store_true", help="with --keep: the facts as they are")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300, help="intakes per phase")
    parser.add_argument("--intake-clients", type=int, default=4)
    parser.add_argument("--phases", default="ABAB", help="A: no KPI sweep, B: sweep running")
    parser.add_argument("--seconds", type=float, default=20, help="measured window per page measurement")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--urls", default="", help="dashboard pages, comma separated")
    args = parser.parse_args()
    if args.child:
        run_child(args.child, args.report)
        return
    urls = [u for u in (args.urls or default_urls()).split(",") if u]
    import cases as case_bench

    if args.keep:
        env = case_bench.attach_database(args.pg_url, args.db_name)
        tokens = case_bench.load_demo()
    else:
        env = setup_database("postgresql", args.pg_url, args.db_name)
        tokens = case_bench.load_demo()
        agents = add_agents()
        print(
            f"{len(agents['others'])} agents, {len(agents['complaints'])} complaint handlers take the cases",
            flush=True,
        )
        seconds = generate(args.cases, args.answers, agents)
        print(
            "generated: "
            + ", ".join(f"{part} {s:.0f} s" for part, s in seconds.items())
            + f" (total {sum(seconds.values()):.0f} s)",
            flush=True,
        )
    from django.db import connection

    from kefu.cases.models import Case
    from kefu.engine.workflow.models import Timer
    from kefu.followups.models import SurveyAnswer

    print(
        f"database {args.db_name}: {Case.objects.count():,} cases, {Timer.objects.count():,} clocks, "
        f"{SurveyAnswer.objects.count():,} survey answers",
        flush=True,
    )
    built = None if args.keep and args.no_rebuild else rebuild()
    if built:
        print(
            f"full rebuild: {built['seconds']:.1f} s for {built['cases']:,} cases = "
            f"{built['cases'] / built['seconds']:,.0f} cases/s; {built['case_facts']:,} case facts, "
            f"{built['daily_facts']:,} daily facts — {built['said']}; then VACUUM ANALYZE of the facts "
            f"{built['vacuum']:.0f} s",
            flush=True,
        )
    total, insights, tables = intake_statements(tokens["zhaomin"])
    print(
        f"statements per intake (API, in-process): {total}, touching the insights tables: {insights}",
        flush=True,
    )
    print("  " + ", ".join(f"{t} {n}" for t, n in tables.most_common()), flush=True)
    cookies = {who: session_cookie(who) for who in ("zhangwei", "wangfang")}
    reports = Path(env["KEFU_DATA_DIR"])
    sealer = child("sealer", env, reports / "sealer.json")
    connection.close()
    server, port = start_server(env, args.workers)
    try:
        print(f"gunicorn {args.workers} sync workers; {args.seconds:.0f} s measured per line", flush=True)
        for url in urls:
            for who, cookie in cookies.items():
                for clients in (1, 4):
                    found = page(port, url, cookie, clients, args.seconds)
                    flag = "" if found["p99"] < TARGET_MS else f"  > {TARGET_MS} ms"
                    print(f"{url} as {who}, {clients} client(s): {fmt_page(found)}{flag}", flush=True)
        for code in DRILLED:
            found = page(port, f"/insights/kpis/{code}/", cookies["zhangwei"], 1, args.seconds)
            print(f"drill-down /insights/kpis/{code}/ as zhangwei, 1 client: {fmt_page(found)}", flush=True)
        serial = iter(range(10**8))
        phases: dict[str, list[dict]] = {"A": [], "B": []}
        for phase in args.phases:
            sweeper = sampler = None
            if phase == "B":
                sweeper = child("sweeper", env, reports / "sweeper.json")
                caught = wait_caught_up()
                sampler = Sampler()
                sampler.start()
            jobs = [
                ("POST", "/api/v1/cases", tokens["zhaomin"], intake_body(next(serial)))
                for _ in range(args.requests)
            ]
            result = drive(port, args.intake_clients, jobs)
            line = (
                f"intake phase {phase} ({'KPI sweep running' if phase == 'B' else 'no KPI sweep'}), "
                f"{args.intake_clients} clients: p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, "
                f"{result['per_s']:.1f}/s {result['statuses']}"
            )
            if phase == "B":
                drain = wait_caught_up()
                sampler.stop.set()
                sampler.join()
                stats = stop_child(sweeper, reports / "sweeper.json")
                busy = stats.get("busy") or 1e-9
                result["lag_rows_max"] = max(sampler.rows, default=0)
                result["lag_age_max"] = max(sampler.ages, default=0.0)
                result["lag_rows_mean"] = statistics.fmean(sampler.rows) if sampler.rows else 0.0
                result["drain"] = drain
                result["sweep"] = stats
                line += (
                    f"; caught up first in {caught:.1f} s; lag max {result['lag_rows_max']} rows "
                    f"(mean {result['lag_rows_mean']:.0f}), oldest unswept row max {result['lag_age_max']:.1f} s; "
                    f"drained {drain:.1f} s after the load; sweeper read {stats.get('rows', 0)} audit rows, "
                    f"{stats.get('cases', 0)} cases in {stats.get('rounds', 0)} rounds, "
                    f"{stats.get('busy', 0):.1f} s busy = {stats.get('rows', 0) / busy:,.0f} rows/s, "
                    f"{stats.get('cases', 0) / busy:,.0f} cases/s"
                )
            phases[phase].append(result)
            print(line, flush=True)
        if phases["A"] and phases["B"]:
            p50 = {k: statistics.fmean(r["p50_ms"] for r in v) for k, v in phases.items()}
            p99 = {k: statistics.fmean(r["p99_ms"] for r in v) for k, v in phases.items()}
            print(
                f"intake with ÷ without the KPI sweep: p50 {p50['B'] / p50['A']:.2f} "
                f"({p50['B']:.1f} / {p50['A']:.1f} ms), p99 {p99['B'] / p99['A']:.2f} "
                f"({p99['B']:.1f} / {p99['A']:.1f} ms) — means over the phases",
                flush=True,
            )
    finally:
        stop_server(server)
        print(f"sealer: {stop_child(sealer, reports / 'sealer.json')}", flush=True)


if __name__ == "__main__":
    main()
