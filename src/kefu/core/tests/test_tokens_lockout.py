"""SEC-10 for API tokens: no minting with a token, an expiry from the pack, cheap last use, the lockout
(per username + address) covers tokens, and static files carry the pages' CSP."""

from datetime import timedelta

import pytest
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kefu import cli
from kefu import demo as demo_data
from kefu.core import actions, clock
from kefu.core.actor import Actor
from kefu.core.errors import Invalid
from kefu.core.middleware import CSP
from kefu.core.models import ApiToken
from kefu.engine.policy import api as policy

pytestmark = pytest.mark.django_db


def _token(user, **kwargs) -> str:
    _, plaintext = actions.create_token(Actor(user=user, origin="test"), user=user, name="t", **kwargs)
    return plaintext


def _bearer(plaintext: str) -> dict:
    return {"Authorization": f"Bearer {plaintext}"}


def test_a_token_cannot_mint_tokens(client, admin_user):  # SEC-10
    headers = _bearer(_token(admin_user))
    response = client.post(
        "/api/v1/tokens", {"name": "child"}, content_type="application/json", headers=headers
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "token_cannot_mint"
    assert ApiToken.objects.filter(user=admin_user).count() == 1
    client.force_login(admin_user)  # the signed-in session may
    response = client.post("/api/v1/tokens", {"name": "from the session"}, content_type="application/json")
    assert response.status_code == 201


def test_tokens_expire_after_the_pack_lifetime_by_default_and_at_most(client, admin_user, frozen, capsys):
    # SEC-10: no token lives forever; the lifetime is a pack value, marked as not from the policies
    lifetime = policy.lookup("security.token_lifetime")
    assert lifetime.default_not_from_seeds and lifetime.rule == "SEC-10"
    headers = _bearer(_token(admin_user))
    token = ApiToken.objects.get(user=admin_user)
    assert token.expires_at == frozen + lifetime.duration()
    with pytest.raises(Invalid) as refused:
        _token(admin_user, expires_at=frozen + lifetime.duration() + timedelta(minutes=1))
    assert refused.value.code == "token_expiry_too_far" and "本系统默认值" in refused.value.zh
    assert cli.main(["token", "create", "admin", "--name", "cli"]) == 0
    assert ApiToken.objects.get(name="cli").expires_at == frozen + lifetime.duration()
    assert cli.main(["token", "create", "admin", "--days", str(int(lifetime.value) + 1)]) == 1
    assert "token_expiry_too_far" not in capsys.readouterr().err  # the message, not the code
    clock.advance(lifetime.duration() - timedelta(seconds=1))
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    clock.advance(timedelta(seconds=1))
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_the_token_list_shows_last_use_written_at_most_once_per_period(client, admin_user, frozen):  # SEC-10
    headers = _bearer(_token(admin_user))
    token = ApiToken.objects.get(user=admin_user)
    assert token.last_used_at is None

    def updates_on_call() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/me", headers=headers).status_code == 200
        return sum(q["sql"].startswith("UPDATE") and "core_apitoken" in q["sql"] for q in queries)

    assert updates_on_call() == 1
    clock.advance(timedelta(minutes=settings.KEFU_TOKEN_TOUCH_MINUTES) - timedelta(seconds=1))
    assert [updates_on_call() for _ in range(5)] == [0] * 5  # no write per request
    clock.advance(timedelta(seconds=1))
    assert updates_on_call() == 1
    listed = client.get("/api/v1/tokens", headers=headers).json()["items"][0]
    assert listed["last_used_at"] is not None
    token.refresh_from_db()
    assert token.last_used_at == frozen + timedelta(minutes=settings.KEFU_TOKEN_TOUCH_MINUTES)
    client.force_login(admin_user)
    page = client.get("/profile/").content.decode()
    assert timezone.localtime(token.last_used_at).strftime("%Y-%m-%d %H:%M") in page


def _fail_logins(username: str, address: str) -> None:
    attacker = Client(REMOTE_ADDR=address)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post("/login/", {"username": username, "password": "wrong-password"})


def test_lockout_is_per_username_and_address(demo):  # SEC-10
    _fail_logins("zhaomin", "203.0.113.9")
    locked = Client(REMOTE_ADDR="203.0.113.9")
    response = locked.post("/login/", {"username": "zhaomin", "password": demo_data.DEMO_PASSWORD})
    assert response.status_code == 429
    # the attacker's failures do not lock her out where she works
    office = Client(REMOTE_ADDR="10.1.2.3")
    response = office.post("/login/", {"username": "zhaomin", "password": demo_data.DEMO_PASSWORD})
    assert response.status_code == 302


def test_a_locked_accounts_tokens_answer_401_until_unlocked(demo):  # SEC-10
    user = demo["zhaomin"].user
    headers = _bearer(_token(user))
    here = Client(REMOTE_ADDR="198.51.100.7")
    assert here.get("/api/v1/me", headers=headers).status_code == 200
    _fail_logins("zhaomin", "198.51.100.7")
    response = here.get("/api/v1/me", headers=headers)
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"
    # the lock is per username + address, like the password's
    assert Client(REMOTE_ADDR="10.1.2.3").get("/api/v1/me", headers=headers).status_code == 200
    AxesProxyHandler.reset_attempts(username="zhaomin")  # an administrator unlocks (axes_reset_username)
    assert here.get("/api/v1/me", headers=headers).status_code == 200


def test_static_files_carry_the_same_csp_as_pages(client):  # SEC-10
    page = client.get("/login/")
    for path in ["/static/web/kefu.js", "/static/web/favicon.svg", "/static/web/kefu.css"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Security-Policy"] == page["Content-Security-Policy"] == CSP
        assert response["Cross-Origin-Resource-Policy"] == "same-origin"
