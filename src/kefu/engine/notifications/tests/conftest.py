"""Fixtures of the notification tests (NTF-1): a real SMTP server and a real HTTP SMS gateway on
127.0.0.1, two people."""

import pytest

from kefu.engine.mail.testing import smtp  # noqa: F401 — the shared aiosmtpd sink fixture
from kefu.engine.outbound.tests.conftest import sms  # noqa: F401 — the loopback SMS gateway (texts to staff)


@pytest.fixture
def people(db, django_user_model):
    """Two users with employee-less accounts and e-mail addresses; `en` prefers English."""
    from kefu.core.actor import Actor
    from kefu.engine.notifications import actions

    zh = django_user_model.objects.create_user("zhang", "zhang@example.com", "x-long-password")
    en = django_user_model.objects.create_user("emma", "emma@example.com", "x-long-password")
    actions.save_preference(Actor(user=en, origin="test"), language="en", email_enabled=True)
    return {"zh": zh, "en": en}
