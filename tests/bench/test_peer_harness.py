"""The pure parts of the side-by-side bench (bench/peer.py, issue 11 "Measured"): percentiles, the
measured window, ratios and verdicts against the issue's targets, CPU accounting from /proc, the load
generator against a local server, and the generated django-helpdesk project. The bench itself is not
part of the suite (it builds a virtualenv and runs for minutes); nothing here asserts a timing."""

import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from bench.loadgen import Sample, Summary

from bench import helpdesk_site, loadgen, proccpu


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert loadgen.percentile(values, 50) == 50
    assert loadgen.percentile(values, 99) == 99
    assert loadgen.percentile(values, 100) == 100
    assert loadgen.percentile([7.0], 99) == 7.0
    assert loadgen.percentile([1.0, 2.0, 3.0], 50) == 2.0
    assert loadgen.percentile([], 50) == 0.0


def test_summarise_counts_2xx_answers_inside_the_window():
    samples = [
        Sample(ended=0.5, seconds=0.5, status=201),  # before the window: warm-up
        Sample(ended=1.0, seconds=0.2, status=201),
        Sample(ended=2.0, seconds=0.4, status=201),
        Sample(ended=2.5, seconds=0.1, status=500),  # inside, but not a success
        Sample(ended=3.0, seconds=0.3, status=0),  # transport error
        Sample(ended=3.5, seconds=0.9, status=201),  # after the window
    ]
    summary = loadgen.summarise(samples, 1.0, 3.0)
    assert summary.ok == 2
    assert summary.window == 2.0
    assert summary.rate == 1.0
    assert summary.latencies == [0.2, 0.4]
    assert summary.statuses == {201: 2, 500: 1, 0: 1}
    assert summary.p50_ms == pytest.approx(200)
    assert summary.p99_ms == pytest.approx(400)


def test_pooled_runs_add_counts_and_windows():
    a = Summary(ok=10, window=5.0, latencies=[0.1] * 10, statuses={201: 10})
    b = Summary(ok=30, window=5.0, latencies=[0.3] * 30, statuses={201: 30, 500: 1})
    pooled = Summary().merge(a).merge(b)
    assert pooled.ok == 40
    assert pooled.rate == 4.0
    assert pooled.statuses == {201: 40, 500: 1}
    assert pooled.p50_ms == pytest.approx(300)
    assert Summary().rate == 0.0


def test_ratio_and_verdict_against_the_issue_targets():
    assert loadgen.ratio(12.0, 48.0) == 0.25
    assert loadgen.ratio(None, 3.0) is None
    assert loadgen.ratio(3.0, 0.0) is None
    assert loadgen.ratio(3.0, None) is None
    assert loadgen.verdict(0.8, 0.8) == "ok"
    assert loadgen.verdict(0.79, 0.8) == "MISSED"
    assert loadgen.verdict(1.5, 1.5, higher_is_better=False) == "ok"
    assert loadgen.verdict(1.6, 1.5, higher_is_better=False) == "MISSED"
    assert loadgen.verdict(None, 1.0) == "—"
    assert loadgen.fmt(None) == "—"
    assert loadgen.fmt(1234.567, 1) == "1,234.6"


def test_cpu_per_item_by_group_and_in_total():
    cpu = loadgen.add_up({"web": 1.0, "database": 0.5}, {"web": 1.0, "worker": 0.5})
    assert cpu == {"web": 2.0, "database": 0.5, "worker": 0.5}
    figures = loadgen.per_item_ms(cpu, 100)
    assert figures == {"web": 20.0, "database": 5.0, "worker": 5.0, "total": 30.0}
    assert loadgen.per_item_ms(cpu, 0) is None


def test_parse_stat_reads_past_a_command_name_with_spaces_and_parentheses():
    fields = ["S", "4321"] + ["0"] * 9 + ["150", "50"] + ["0"] * 30
    line = "1234 (gunicorn: worker) [x)) " + " ".join(fields)
    assert proccpu.parse_stat(line) == (4321, 200)
    own = proccpu.read_stat(os.getpid())
    assert own is not None and own[0] == os.getppid()


def test_descendants_of_a_process_tree():
    parent_of = {1: 0, 10: 1, 11: 10, 12: 10, 13: 11, 20: 1, 21: 20}
    assert proccpu.descendants([10], parent_of) == {10, 11, 12, 13}
    assert proccpu.descendants([10, 21], parent_of) == {10, 11, 12, 13, 21}
    assert proccpu.descendants([99], parent_of) == set()


def test_cpu_meter_counts_processes_that_come_and_go():
    alive = {1: 100, 2: 40}  # pid -> CPU ticks
    meter = proccpu.CpuMeter(lambda: list(alive), read=alive.get, ticks_per_second=100)
    meter.start(background=False)
    alive[1] = 150  # +50 ticks
    alive[3] = 30  # a new backend: all of it in the window
    meter.sample()
    alive[2] = 60  # +20 ticks, then it exits: its last sampled value counts
    meter.sample()
    del alive[2]
    alive[3] = 50
    assert meter.stop() == pytest.approx((50 + 20 + 50) / 100)


class _Created(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keeps the connection open, unlike gunicorn's sync workers

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        status = 201 if json.loads(body)["n"] % 5 else 400
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def test_closed_loop_drives_a_server_and_counts_the_window():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Created)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    counter = iter(range(10**6))
    calls = []
    try:
        summary = loadgen.closed_loop(
            "127.0.0.1",
            server.server_address[1],
            3,
            0.3,
            lambda: (
                "POST",
                "/",
                {"Content-Type": "application/json"},
                json.dumps({"n": next(counter)}).encode(),
            ),
            warmup=0.1,
            on_start=lambda: calls.append("start"),
            on_stop=lambda: calls.append("stop"),
        )
    finally:
        server.shutdown()
        server.server_close()
    assert calls == ["start", "stop"]
    assert summary.ok > 0
    assert summary.ok == summary.statuses[201] == len(summary.latencies)
    assert set(summary.statuses) <= {201, 400}
    assert summary.rate == summary.ok / summary.window


def test_generated_helpdesk_project_is_valid_python(tmp_path):
    root = helpdesk_site.write_project(tmp_path / "project")
    for name in ("benchsite/settings.py", "benchsite/urls.py", "benchsite/wsgi.py", "preload.py"):
        compile((root / name).read_text(), name, "exec")
    settings = (root / "benchsite/settings.py").read_text()
    assert '"rest_framework.authtoken"' in settings
    assert "TokenAuthentication" in settings
    assert '"CONN_MAX_AGE": 60' in settings  # kefu's own (kefu.core.config)
    assert "HELPDESK_TEAMS_MODE_ENABLED = False" in settings
