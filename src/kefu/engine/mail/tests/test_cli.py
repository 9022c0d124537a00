"""CASE-2: `kefu mail-in` as its own process — the listener a deployment runs — stores what it accepts
and stops cleanly on SIGTERM."""

import os
import signal
import smtplib
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.engine.test_timer_workers import _database_url

from kefu.engine.mail.api import InboundMail
from kefu.engine.mail.testing import free_port
from kefu.engine.mail.tests.conftest import SERVICE, chinese_mail


def _wait_for(port: int, process, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1].decode()[-2000:]
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)  # waiting for the interpreter to start, not for a rule's time
    raise AssertionError("kefu mail-in did not start listening")


@pytest.mark.django_db(transaction=True)
def test_kefu_mail_in_listens_stores_and_stops(settings):  # CASE-2
    port = free_port()
    env = {
        **os.environ,
        "KEFU_DATABASE_URL": _database_url(),
        "KEFU_SERVICE_MAIL": SERVICE,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": os.pathsep.join(
            [str(Path(__file__).resolve().parents[5]), os.environ.get("PYTHONPATH", "")]
        ),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "kefu.cli", "mail-in", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for(port, process)
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
            client.sendmail("wang@customer.example.net", [SERVICE], chinese_mail(message_id="<cli@x>"))
            with pytest.raises(smtplib.SMTPRecipientsRefused):
                client.sendmail("wang@customer.example.net", ["nobody@example.com"], chinese_mail())
        mail = InboundMail.objects.get()  # stored before the server answered 250
        assert mail.message_id == "<cli@x>" and mail.subject == "投诉：热水器漏水"
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err.decode()[-2000:]
