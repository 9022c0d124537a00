"""Profile: API tokens (ORG-6: personal) and the acting-for switch (ORG-5)."""

import re
from datetime import datetime, timedelta

from django.test import Client
from django.utils import timezone

from kefu.core import actions as core_actions
from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.models import ApiToken, AuditEvent
from kefu.org import actions as org_actions


def test_token_create_shows_plaintext_once_and_revoke(demo, login, frozen):
    # ORG-6: tokens are personal; only a hash is kept, so the plaintext is shown once
    client = login("wangfang")
    response = client.post("/profile/tokens/", {"name": "报表脚本", "expires_on": "2026-04-30"})
    assert response.status_code == 200
    body = response.content.decode()
    plaintext = re.search(r'id="new-token-value" class="token-value">([^<]+)<', body).group(1)
    token = ApiToken.objects.get(user=demo["wangfang"].user, name="报表脚本")
    assert plaintext.startswith(f"kefu_{token.prefix}_")
    assert core_actions.authenticate_token(plaintext) == demo["wangfang"].user
    assert token.expires_at == datetime(2026, 5, 1, tzinfo=timezone.get_default_timezone())
    page = client.get("/profile/").content.decode()
    assert plaintext not in page and f"kefu_{token.prefix}" in page
    response = client.post(f"/profile/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert core_actions.authenticate_token(plaintext) is None
    assert AuditEvent.objects.filter(action="token.revoke", object_id=str(token.pk)).exists()


def test_token_form_errors(demo, login):
    client = login("wangfang")
    response = client.post("/profile/tokens/", {"name": "", "expires_on": "2000-01-01"})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()
    response = client.post("/profile/tokens/", {"name": "过期", "expires_on": "2000-01-01"})
    assert response.status_code == 200
    assert "到期时间必须晚于现在" in response.content.decode()


def test_token_form_offers_the_pack_lifetime_and_refuses_a_later_day(demo, login, frozen):
    # SEC-10: every token expires; the longest lifetime comes from the pack, marked as not from the policies
    client = login("wangfang")
    page = client.get("/profile/").content.decode()
    assert (
        "留空即按最长有效期：90 天 本系统默认值（制度未规定此数值）。" in page and 'max="2026-05-31"' in page
    )
    response = client.post("/profile/tokens/", {"name": "太久", "expires_on": "2026-06-01"})
    assert "令牌最长有效 90 天（本系统默认值）" in response.content.decode()
    assert not ApiToken.objects.filter(name="太久").exists()
    client.post("/profile/tokens/", {"name": "最后一天", "expires_on": "2026-05-31"})
    client.post("/profile/tokens/", {"name": "默认"})
    latest = frozen + timedelta(days=90)
    assert ApiToken.objects.get(name="最后一天").expires_at == latest
    assert ApiToken.objects.get(name="默认").expires_at == latest


def test_cannot_revoke_someone_elses_token(demo, login):
    # ORG-6: another person's token is not there
    token, _ = core_actions.create_token(
        Actor(user=demo["zhaomin"].user, origin="test"), user=demo["zhaomin"].user, name="mine"
    )
    client = login("wangfang")
    assert client.post(f"/profile/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_act_for_switch_and_banner(demo, login):
    # ORG-5: the delegate acts for the delegator; the header says so; actions are attributed
    manager = Actor(user=demo["wangfang"].user, origin="test")
    delegation = org_actions.create_delegation(
        manager,
        delegator=demo["wangfang"],
        delegate=demo["lina"],
        permissions=["org.view", "audit.view"],
        starts_at=clock.now() - timedelta(hours=1),
        ends_at=clock.now() + timedelta(days=2),
        reason="休假",
    )
    client = login("lina")
    profile = client.get("/profile/").content.decode()
    assert "王芳" in profile and 'name="delegation"' in profile
    response = client.post("/act-for/", {"delegation": delegation.pk})
    assert response.status_code == 302
    home = client.get("/").content.decode()
    assert "acting-banner" in home and "王芳" in home
    # the delegated audit.view is at the delegator's (subsidiary) scope
    assert client.get("/audit/").status_code == 200
    # a token created while acting for someone is still the person's own, and says on whose behalf
    client.post("/profile/tokens/", {"name": "代办期间"})
    event = AuditEvent.objects.filter(action="token.create").order_by("-id").first()
    assert event.actor_name == "lina" and event.on_behalf_of == "wangfang"
    client.post("/act-for/stop/")
    assert "acting-banner" not in client.get("/").content.decode()


def test_act_for_refuses_foreign_delegation(demo, login):
    # ORG-5: only the delegate may act under a delegation
    manager = Actor(user=demo["wangfang"].user, origin="test")
    delegation = org_actions.create_delegation(
        manager,
        delegator=demo["wangfang"],
        delegate=demo["lina"],
        permissions=["org.view"],
        starts_at=clock.now() - timedelta(hours=1),
        ends_at=clock.now() + timedelta(days=2),
        reason="休假",
    )
    client = login("zhaomin")
    client.post("/act-for/", {"delegation": delegation.pk})
    assert "acting-banner" not in client.get("/").content.decode()


def test_expired_delegation_drops_out_of_session(demo, frozen, login):
    # ORG-5: valid only within the period
    manager = Actor(user=demo["wangfang"].user, origin="test")
    delegation = org_actions.create_delegation(
        manager,
        delegator=demo["wangfang"],
        delegate=demo["lina"],
        permissions=["org.view"],
        starts_at=clock.now() - timedelta(hours=1),
        ends_at=clock.now() + timedelta(minutes=20),
        reason="开会",
    )
    client = login("lina")
    client.post("/act-for/", {"delegation": delegation.pk})
    assert "acting-banner" in client.get("/").content.decode()
    clock.advance(timedelta(minutes=25))
    page = client.get("/")
    assert page.status_code == 200
    assert "acting-banner" not in page.content.decode()


def test_password_change(demo, login):
    client = login("zhaomin")
    assert client.get("/profile/password/").status_code == 200
    response = client.post(
        "/profile/password/",
        {
            "old_password": "kefu-demo-2026",
            "new_password1": "Another-Long-Passphrase-7",
            "new_password2": "Another-Long-Passphrase-7",
        },
    )
    assert response.status_code == 302
    fresh = Client()
    assert (
        fresh.post("/login/", {"username": "zhaomin", "password": "Another-Long-Passphrase-7"}).status_code
        == 302
    )
    # SEC-6: the change is audited, and the new password never appears in the log
    event = AuditEvent.objects.get(action="auth.password_change")
    assert event.actor_name == "zhaomin"
    assert "Another-Long-Passphrase-7" not in str(event.before) + str(event.after)
    # the session survives the change (no surprise logout)
    assert client.get("/profile/").status_code == 200
