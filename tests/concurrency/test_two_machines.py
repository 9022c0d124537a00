"""More than one machine (issue 11, docs/deploy.md): two web servers and two workers on one PostgreSQL.

Under a bounded intake load spread over both servers, with SLA clocks already due: no case is lost or
doubled, every due clock fires exactly once, and the audit chain — sealed by whichever worker holds
the chain head, one at a time — is complete and verifies afterwards.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.db import connection

from kefu.cases.models import Case
from kefu.core import audit, clock
from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.core.models import AuditEvent
from tests.concurrency.support import demo_with_groups, fired_once, overdue_cases, pg_only

REPO = Path(__file__).resolve().parents[2]
DUE = 200  # clocks already due when the workers start
CLIENTS = 4
REQUESTS_PER_CLIENT = 12
DEADLINE_SECONDS = 90


def _free_ports(count: int) -> list[int]:
    """`count` distinct free ports: the sockets are held together, so the system cannot hand the same
    port out twice (one web server then failed with "Address already in use")."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _database_url() -> str:
    settings = connection.settings_dict
    user = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return (
        f"postgresql://{user}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    )


def _start(tmp_path: Path) -> tuple[list[subprocess.Popen], list[str]]:
    env = {
        **os.environ,
        "KEFU_DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "src")]),
        "KEFU_DATA_DIR": str(tmp_path),
    }
    processes, bases = [], []
    for n, port in enumerate(_free_ports(2)):  # two "machines": a web server and a worker each
        bases.append(f"http://127.0.0.1:{port}")
        web = [sys.executable, "-m", "gunicorn", "kefu.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        web += ["--workers", "2", "--log-level", "warning"]
        worker = [sys.executable, "-m", "kefu.cli", "worker", "--interval", "0.2"]
        for name, command in ((f"web{n}", web), (f"worker{n}", worker)):
            log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 — closed with the process
            processes.append(
                subprocess.Popen(
                    command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
                )
            )
    return processes, bases


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_healthy(bases: list[str], processes, tmp_path: Path) -> None:
    deadline = time.monotonic() + 60
    for base in bases:
        while True:
            assert all(p.poll() is None for p in processes), _logs(tmp_path)
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2):  # noqa: S310 — our own server
                    break
            except urllib.error.HTTPError:
                break  # it answers: migrations and the worker are its own concern
            except OSError:
                assert time.monotonic() < deadline, _logs(tmp_path)
                time.sleep(0.3)


def _logs(tmp_path: Path) -> str:
    return "\n".join(f"--- {p.name}\n{p.read_text()[-1500:]}" for p in sorted(tmp_path.glob("*.log")))


def _post(base: str, token: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(  # noqa: S310 — our own server
        f"{base}/api/v1/cases",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {"error": error.read().decode()[:500]}


@pg_only
def test_two_web_servers_and_two_workers_on_one_database(admin_user, tmp_path):  # WF-2 / SEC-6 / CASE-3
    people = demo_with_groups()
    tokens = [
        create_token(Actor(user=people[name].user, origin="test"), user=people[name].user, name="load")[1]
        for name in ("zhaomin", "sunli")
    ]
    due = overdue_cases(DUE, people["zhaomin"])
    processes, bases = _start(tmp_path)
    answers: list[tuple[int, str]] = []
    try:
        _wait_healthy(bases, processes, tmp_path)

        def client(n: int) -> None:
            for i in range(REQUESTS_PER_CLIENT):
                title = f"负载 {n}-{i}"
                status, _ = _post(
                    bases[(n + i) % 2],
                    tokens[n % 2],
                    {
                        "kind": "complaint" if i % 3 == 0 else "consultation",
                        "channel": "phone",
                        "title": title,
                        "customer": {"name": "钱先生", "phone": f"1351230{n:02d}{i:02d}"},
                    },
                )
                answers.append((status, title))

        clients = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join()
        deadline = time.monotonic() + DEADLINE_SECONDS
        while fired_once(due, clock.now())[:2] != (0, DUE) or audit.backlog().count:
            assert time.monotonic() < deadline, (
                fired_once(due, clock.now()),
                audit.backlog(),
                _logs(tmp_path),
            )
            time.sleep(0.5)
    finally:
        _stop(processes)
    assert [status for status, _ in answers] == [201] * CLIENTS * REQUESTS_PER_CLIENT, answers
    titles = [title for _, title in answers]
    stored = sorted(Case.objects.filter(title__in=titles).values_list("title", flat=True))
    assert stored == sorted(titles)  # none lost, none doubled
    assert fired_once(due, clock.now()) == (0, DUE, 0)  # every due clock fired, exactly once
    result = audit.verify()
    assert result.ok and result.unsealed == 0
    assert result.checked == AuditEvent.objects.count()  # one chain, every row in it once
