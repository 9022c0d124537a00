"""Fixtures of the mail tests (CASE-2, NTF-1): the real SMTP listener of `kefu mail-in` on 127.0.0.1,
the shared aiosmtpd sink for outgoing mail, a recording handler, and message builders."""

import base64
import smtplib
import threading
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import SMTP

import pytest

from kefu.engine.mail import actions_inbound, listener
from kefu.engine.mail.testing import free_port, smtp  # noqa: F401 — the shared aiosmtpd sink fixture

SERVICE = "kefu-service@example.com"


@pytest.fixture
def service(settings):
    settings.KEFU_SERVICE_MAIL = [SERVICE, "help@example.com"]
    settings.DEFAULT_FROM_EMAIL = "kefu@kefu.example"
    return SERVICE


class Listener:
    def __init__(self):
        self.port = free_port()
        self.controller = listener.controller("127.0.0.1", self.port)
        self.controller.start()

    def send(self, raw: bytes, *, to=(SERVICE,), sender="customer@example.net") -> dict:
        """Deliver over SMTP; returns smtplib's refused-recipients dict (raises when all are refused)."""
        with smtplib.SMTP("127.0.0.1", self.port, timeout=10) as client:
            return client.sendmail(sender, list(to), raw)


@pytest.fixture
def mailbox(service):
    """`kefu mail-in`'s listener on a free port of 127.0.0.1, accepting the test service addresses."""
    server = Listener()
    yield server
    server.controller.stop()


class Recorder:
    """A registered handler that records each call; `fail` makes it raise, `effect` runs inside it."""

    def __init__(self):
        self.calls = []
        self.lock = threading.Lock()
        self.fail = False
        self.effect = None

    def __call__(self, inbound):
        with self.lock:
            self.calls.append(inbound.message_id)
        result = self.effect(inbound) if self.effect is not None else None
        if self.fail:
            raise RuntimeError("handler broke")
        return result


@pytest.fixture
def handler(monkeypatch):
    """The only registered mail handler during the test (another app's handler is set aside)."""
    monkeypatch.setattr(actions_inbound, "_HANDLERS", {})
    recorder = Recorder()
    actions_inbound.register_handler("test", recorder)
    return recorder


def gb2312_word(text: str) -> str:
    """An RFC 2047 encoded word as Chinese mail clients write it (charset label GB2312)."""
    return f"=?GB2312?B?{base64.b64encode(text.encode('gb2312')).decode()}?="


def chinese_mail(*, message_id="<m1@customer.example.net>", subject="投诉：热水器漏水", attachment=True):
    """A GB2312 multipart/mixed message: text/plain + text/html alternatives and a PDF attachment."""
    message = MIMEMultipart("mixed")
    message["From"] = f"{gb2312_word('王先生')} <Wang@Customer.example.net>"
    message["To"] = SERVICE
    message["Subject"] = gb2312_word(subject)
    if message_id:
        message["Message-ID"] = message_id
    alternative = MIMEMultipart("alternative")
    alternative.attach(MIMEText("你好，\n新买的热水器漏水，请尽快处理。", "plain", "gb2312"))
    alternative.attach(MIMEText("<p>你好，</p><p>新买的热水器<b>漏水</b>。</p>", "html", "gb2312"))
    message.attach(alternative)
    if attachment:
        pdf = MIMEApplication(b"%PDF-1.4 fake", "pdf")
        pdf.add_header("Content-Disposition", "attachment", filename=("gb2312", "", "发票.pdf"))
        message.attach(pdf)
    return message.as_bytes(policy=SMTP)  # CRLF line ends, as on the wire
