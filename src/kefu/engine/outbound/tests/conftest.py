"""Fixtures of the outbound tests (FUP-2): a real HTTP SMS gateway on 127.0.0.1 (http.server in a
thread) that answers as scripted, records every request and sends each Idempotency-Key once; and a
customer to write to."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kefu.engine.mail.testing import smtp  # noqa: F401 — the shared aiosmtpd sink fixture

SECRET = "test-sms-secret"
PHONE = "13912345678"


class Gateway:
    def __init__(self):
        self.requests = []  # (headers, raw body)
        self.script = []  # answers in order: an HTTP status, or "timeout"; then 200
        self.delivered = {}  # Idempotency-Key → number: what reached a phone (once per key)
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with gateway.lock:
                    gateway.requests.append((dict(self.headers), body))
                    answer = gateway.script.pop(0) if gateway.script else 200
                if answer == "timeout":
                    time.sleep(1.5)  # longer than the test's KEFU_SMS_TIMEOUT
                    answer = 200
                if 200 <= answer < 300:
                    with gateway.lock:
                        gateway.delivered.setdefault(self.headers["Idempotency-Key"], json.loads(body)["to"])
                payload = json.dumps({"id": f"gw-{len(gateway.requests)}"}).encode()
                try:
                    self.send_response(answer)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:  # the client gave up (timeout)
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def bodies(self) -> list[dict]:
        return [json.loads(body) for _, body in self.requests]


@pytest.fixture
def sms(settings):
    gateway = Gateway()
    gateway.thread.start()
    settings.KEFU_SMS_URL = gateway.url
    settings.KEFU_SMS_SECRET = SECRET
    settings.KEFU_SMS_TIMEOUT = 0.5
    settings.KEFU_SMS_RETRY_SECONDS = 60
    settings.KEFU_SMS_MAX_ATTEMPTS = 4
    yield gateway
    gateway.server.shutdown()
    gateway.server.server_close()


@pytest.fixture
def customer(demo, actor_of, frozen):
    from kefu.customers import actions

    return actions.create_customer(actor_of(demo["wangfang"]), name="陈建国", phone=PHONE)


@pytest.fixture
def staff(demo, actor_of):
    return actor_of(demo["wangfang"])
