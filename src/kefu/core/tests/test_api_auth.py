"""API authentication: bearer tokens, the browser session with CSRF, /me and the token endpoints."""

import string
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils.crypto import get_random_string

from kefu.core import clock
from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.core.models import ApiToken, AuditEvent

pytestmark = pytest.mark.django_db

# One endpoint of every router, with a method it answers.
ROUTER_ENDPOINTS = [
    ("get", "/api/v1/me"),
    ("get", "/api/v1/tokens"),
    ("post", "/api/v1/tokens"),
    ("get", "/api/v1/org/units"),
    ("get", "/api/v1/org/employees"),
    ("post", "/api/v1/org/employees"),
    ("get", "/api/v1/org/roles"),
    ("get", "/api/v1/org/delegations"),
    ("get", "/api/v1/org/permissions"),
]


def bearer(user, **kwargs) -> dict:
    _, secret = create_token(Actor(user=user, origin="test"), user=user, name="t", **kwargs)
    return {"Authorization": f"Bearer {secret}"}


def assert_envelope(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) >= {"code", "message", "messages", "fields"}
    assert set(error["messages"]) == {"zh-hans", "en"}
    if code is not None:
        assert error["code"] == code
    return error


@pytest.mark.parametrize(("method", "url"), ROUTER_ENDPOINTS)
def test_unauthenticated_calls_answer_401_envelope(client, method, url):
    # SEC-6 / ORG-6: nothing in the API is anonymous except the OpenAPI document and the docs page
    response = getattr(client, method)(url, data={}, content_type="application/json")
    assert_envelope(response, 401, "unauthenticated")


def test_unknown_bearer_token_answers_401(client):
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer kefu_deadbeef_nope"})
    assert_envelope(response, 401, "unauthenticated")


def test_token_with_a_nul_character_answers_401(client, admin_user):
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer kefu_dead\x00beef_x"})
    assert_envelope(response, 401, "unauthenticated")


def test_bearer_token_authenticates(client, admin_user):
    # ORG-6: every call is attributable to a personal account
    response = client.get("/api/v1/me", headers=bearer(admin_user))
    assert response.status_code == 200
    assert response.json() == {
        "id": admin_user.pk,
        "username": "admin",
        "employee_id": None,
        "name": "admin",
        "acting_for": None,
    }


def test_revoked_token_answers_401(client, admin_user):
    headers = bearer(admin_user)
    token = ApiToken.objects.get(user=admin_user)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    response = client.delete(f"/api/v1/tokens/{token.pk}", headers=headers)
    assert response.status_code == 200
    assert response.json()["revoked_at"] is not None
    assert_envelope(client.get("/api/v1/me", headers=headers), 401, "unauthenticated")


def test_expired_token_answers_401(client, admin_user, frozen):
    headers = bearer(admin_user, expires_at=frozen + timedelta(hours=1))
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    clock.advance(timedelta(hours=1))
    assert_envelope(client.get("/api/v1/me", headers=headers), 401, "unauthenticated")


def test_inactive_user_token_answers_401(client, admin_user):
    headers = bearer(admin_user)
    admin_user.is_active = False
    admin_user.save()
    assert_envelope(client.get("/api/v1/me", headers=headers), 401)


def test_token_created_through_the_api_is_usable_and_audited(client, admin_user):
    # SEC-6: creating a token is audited, with the API origin (SEC-10: minted from the session)
    client.force_login(admin_user)
    response = client.post("/api/v1/tokens", {"name": "ci"}, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["token"].startswith("kefu_" + body["prefix"] + "_")
    assert body["name"] == "ci" and body["revoked_at"] is None
    me = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200 and me.json()["username"] == "admin"
    event = AuditEvent.objects.get(action="token.create", object_id=str(body["id"]))
    assert event.origin.startswith("api session")


def test_token_list_is_paginated_and_never_shows_secrets(client, admin_user, django_user_model):
    headers = bearer(admin_user)
    other = django_user_model.objects.create_user("other", password="other-pass-123")
    bearer(other)
    response = client.get("/api/v1/tokens", headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1  # only my own tokens (ORG-6: tokens are personal)
    assert "token" not in body["items"][0] and "secret_hash" not in body["items"][0]


def test_cannot_revoke_someone_elses_token(client, admin_user, django_user_model):
    other = django_user_model.objects.create_user("other", password="other-pass-123")
    bearer(other)
    theirs = ApiToken.objects.get(user=other)
    response = client.delete(f"/api/v1/tokens/{theirs.pk}", headers=bearer(admin_user))
    assert_envelope(response, 404, "not_found")
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_token_expiry_must_carry_a_timezone(client, admin_user):
    response = client.post(
        "/api/v1/tokens",
        {"name": "x", "expires_at": "2030-01-01T00:00:00"},
        content_type="application/json",
        headers=bearer(admin_user),
    )
    error = assert_envelope(response, 422, "invalid_input")
    assert "expires_at" in error["fields"]


def test_token_expiry_in_the_past_is_refused(client, admin_user, frozen):
    client.force_login(admin_user)
    response = client.post(
        "/api/v1/tokens",
        {"name": "x", "expires_at": (frozen - timedelta(days=1)).isoformat()},
        content_type="application/json",
    )
    assert_envelope(response, 400, "token_expiry")


def _csrf_client(user) -> tuple[Client, str]:
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(user)
    secret = get_random_string(32, string.ascii_letters + string.digits)
    csrf_client.cookies[settings.CSRF_COOKIE_NAME] = secret
    return csrf_client, secret


def test_session_calls_need_csrf_for_writes(admin_user):
    csrf_client, secret = _csrf_client(admin_user)
    assert csrf_client.get("/api/v1/me").status_code == 200  # safe method: no token needed
    payload = {"name": "from the browser"}
    refused = csrf_client.post("/api/v1/tokens", payload, content_type="application/json")
    assert_envelope(refused, 403, "csrf_failed")
    assert not ApiToken.objects.exists()
    accepted = csrf_client.post(
        "/api/v1/tokens", payload, content_type="application/json", headers={"X-CSRFToken": secret}
    )
    assert accepted.status_code == 201
    event = AuditEvent.objects.get(action="token.create")
    assert event.origin.startswith("api session")


def test_bearer_calls_need_no_csrf(admin_user):
    csrf_client = Client(enforce_csrf_checks=True)
    headers = bearer(admin_user)
    token = ApiToken.objects.get(user=admin_user)
    response = csrf_client.delete(f"/api/v1/tokens/{token.pk}", headers=headers)
    assert response.status_code == 200


def test_bad_token_on_a_write_answers_401_not_csrf_403(admin_user):
    csrf_client = Client(enforce_csrf_checks=True)
    headers = bearer(admin_user)
    ApiToken.objects.update(revoked_at=clock.now())
    response = csrf_client.post(
        "/api/v1/tokens", {"name": "t"}, content_type="application/json", headers=headers
    )
    assert_envelope(response, 401, "unauthenticated")
