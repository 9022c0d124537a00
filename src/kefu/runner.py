"""`kefu run`: one command for the embedded product — web server and worker as child processes.

Ctrl-C (SIGINT) or SIGTERM stops both children and exits cleanly; if one child dies, the other is
stopped too so that nothing runs half-alive.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connections

from kefu import demo
from kefu.core import clock, sealed
from kefu.core.actor import Actor
from kefu.engine.policy.actions import load_pack
from kefu.setup import print_admin_login

STOP_GRACE_SECONDS = 10


def _prepare(load_demo: bool) -> None:
    call_command("migrate", interactive=False, verbosity=0)
    sealed.report(sealed.encrypt_legacy_files())
    version, created = load_pack(Actor.system("kefu run"), note="kefu run: shipped pack changed")
    if created and version.number > 1:
        print(f"制度参数包已更新为第 {version.number} 版 / policy pack loaded as version {version.number}")
    first_run = not get_user_model().objects.exists()
    login = demo.ensure_admin()
    if first_run and load_demo:
        demo.load()
        print(
            f"已载入演示组织 / demo organisation loaded — 演示用户密码 / demo password: {demo.DEMO_PASSWORD}"
        )
    print_admin_login(login)
    connections.close_all()


def _stop(children: list[subprocess.Popen]) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def run(*, port: int, load_demo: bool, web_workers: int) -> int:
    _prepare(load_demo)
    host = os.environ.get("KEFU_HOST", "127.0.0.1")
    web = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "kefu.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(web_workers),
            "--threads",
            "4",
            "--graceful-timeout",
            "5",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ]
    )
    worker = subprocess.Popen([sys.executable, "-m", "kefu.cli", "worker"])
    children = [web, worker]
    stopping = {"signal": None}

    def on_signal(signum, _frame):
        stopping["signal"] = signum

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    db = settings.DATABASES["default"]
    print(
        f"kefu {settings.KEFU_VERSION} 已启动 / running on http://{host}:{port}  "
        f"(数据库 database: {db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']}; Ctrl-C 停止 / to stop)",
        flush=True,
    )
    if clock.shifted_by_file():
        print(
            "!! 测试时钟 / test clock: time is shifted by KEFU_CLOCK_OFFSET_FILE (never in production)",
            flush=True,
        )
    code = 0
    while stopping["signal"] is None:
        dead = [c for c in children if c.poll() is not None]
        if dead:
            name = "web server" if dead[0] is web else "worker"
            print(f"{name} 已退出 / exited with code {dead[0].returncode}; stopping kefu", file=sys.stderr)
            if dead[0] is web:
                print(
                    f"端口 {port} 是否已被占用？/ is port {port} already in use? (KEFU_PORT=…)",
                    file=sys.stderr,
                )
            code = 1
            break
        time.sleep(0.2)
    _stop(children)
    print("kefu 已停止 / stopped", flush=True)
    return code
