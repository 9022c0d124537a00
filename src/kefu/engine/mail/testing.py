"""A real SMTP server (aiosmtpd) on 127.0.0.1 for tests that send mail (NTF-1, CASE-2).

Use the `smtp` fixture: `from kefu.engine.mail.testing import smtp` in a conftest. Django's SMTP
backend then points at the server; `smtp.messages` are the parsed messages it accepted, and
`smtp.stop()` / `smtp.start()` take it down and up again (same port).
"""

import socket
import threading
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Collector:
    """Keeps every message the server accepted, parsed (headers decoded, body as text)."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=default_policy)
        with self.lock:
            self.messages.append({"rcpt": list(envelope.rcpt_tos), "message": message})
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self):
        self.port = free_port()
        self.collector = Collector()
        self.controller = None

    def start(self):
        self.controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        with self.collector.lock:
            return [m["message"] for m in self.collector.messages]

    @property
    def envelopes(self):
        with self.collector.lock:
            return list(self.collector.messages)


@pytest.fixture
def smtp(settings):
    """A running SMTP server; Django's SMTP backend points at it. `smtp.stop()` / `smtp.start()`."""
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "kefu@kefu.example"
    settings.KEFU_SITE_URL = "https://kefu.example"
    yield server
    server.stop()
