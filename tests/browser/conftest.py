"""A real kefu (`kefu run`: gunicorn + worker) on a free port, driven by Debian's Chromium.

The server gets its own fresh database: a temporary SQLite file, or — when KEFU_BROWSER_PG_URL is
set — a new PostgreSQL database that is dropped afterwards.
"""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest

CHROMIUM = os.environ.get("KEFU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "var" / "test-artifacts"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_database(admin_url: str):
    import psycopg

    name = f"kefu_browser_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parsed = urlparse(admin_url)

    def drop():
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunparse(parsed._replace(path=f"/{name}")), drop


@pytest.fixture(scope="session")
def kefu_server(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    data_dir = tmp_path_factory.mktemp("kefu-browser")
    clock_file = data_dir / "clock-offset"  # shift_clock() writes here; every server process reads it
    env = {
        **os.environ,
        "KEFU_DATA_DIR": str(data_dir),
        "KEFU_PORT": str(_free_port()),
        "KEFU_CLOCK_OFFSET_FILE": str(clock_file),
        # open pages poll for the badge and 我的工单 every 2 s, not 15 (test_live_queue.py, issue 13)
        "KEFU_LIVE_POLL_SECONDS": os.environ.get("KEFU_LIVE_POLL_SECONDS", "2"),
    }
    env.pop("KEFU_DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the product's own settings, not the test suite's
    drop = None
    if os.environ.get("KEFU_BROWSER_PG_URL"):
        env["KEFU_DATABASE_URL"], drop = _pg_database(os.environ["KEFU_BROWSER_PG_URL"])
    kefu = shutil.which("kefu", path=str(Path(sys.executable).parent)) or "kefu"
    log_path = ARTIFACTS / "kefu-run.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [kefu, "run"], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://127.0.0.1:{env['KEFU_PORT']}"
    try:
        deadline = time.monotonic() + 600  # migrate + demo load, on a machine busy with the other suites
        while True:
            if server.poll() is not None:
                raise AssertionError(
                    f"kefu run exited early; see {log_path}:\n{log_path.read_text()[-3000:]}"
                )
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as resp:  # noqa: S310 — our own server
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"kefu run did not become healthy; see {log_path}")
            time.sleep(0.5)
        yield {"base": base, "process": server, "log": log_path, "clock_file": clock_file, "env": env}
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGINT)  # what Ctrl-C does: the whole process group
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        if drop is not None:
            drop()


@pytest.fixture
def shift_clock(kefu_server):
    """shift_clock(timedelta) moves the server's time (web and worker) to now + delta; undone after the test."""
    clock_file = kefu_server["clock_file"]

    def write(text: str) -> None:
        # atomically: a server thread reading between truncate and write would cache an empty shift
        part = clock_file.with_suffix(".part")
        part.write_text(text)
        os.replace(part, clock_file)

    def shift(delta):
        write(str(delta.total_seconds()))

    yield shift
    write("0")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 820})
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    yield page
    context.close()
