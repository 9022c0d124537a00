"""Every 4xx of the API answers the error envelope; bad input never becomes a 500."""

import json

import pytest
from django.conf import settings
from django.test import Client

from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.core.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def auth(admin_user) -> dict:
    _, secret = create_token(Actor(user=admin_user, origin="test"), user=admin_user, name="t")
    return {"Authorization": f"Bearer {secret}"}


def assert_envelope(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) >= {"code", "message", "messages", "fields"}
    if code is not None:
        assert error["code"] == code
    return error


def post_raw(client, auth, body, content_type="application/json", url="/api/v1/tokens"):
    return client.post(url, data=body, content_type=content_type, headers=auth)


def test_malformed_json_answers_400(client, auth):
    assert_envelope(post_raw(client, auth, '{"name": "x",'), 400, "malformed_json")


def test_body_that_is_not_utf8_answers_400(client, auth):
    assert_envelope(post_raw(client, auth, b'{"name": "\xff\xfe"}'), 400, "malformed_json")


def test_json_that_is_not_an_object_answers_4xx(client, auth):
    for body in ("[1, 2]", '"name"', "42", "null"):
        response = post_raw(client, auth, body)
        assert 400 <= response.status_code < 500, body
        assert "error" in response.json()
    assert not ApiToken.objects.exclude(name="t").exists()


def test_wrong_type_answers_422_with_fields(client, auth):
    error = assert_envelope(post_raw(client, auth, json.dumps({"name": ["a"]})), 422, "invalid_input")
    assert list(error["fields"]) == ["name"]


def test_missing_field_answers_422_with_fields(client, auth):
    error = assert_envelope(post_raw(client, auth, "{}"), 422, "invalid_input")
    assert "name" in error["fields"]


def test_unknown_field_answers_422_with_fields(client, auth):
    body = json.dumps({"name": "x", "nmae": "typo"})
    error = assert_envelope(post_raw(client, auth, body), 422, "invalid_input")
    assert "nmae" in error["fields"]


def test_empty_body_on_a_write_answers_422(client, auth):
    assert_envelope(post_raw(client, auth, ""), 422, "invalid_input")


def test_oversize_body_answers_413(client, auth):
    filler = "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert_envelope(post_raw(client, auth, json.dumps({"name": filler})), 413, "body_too_large")


def test_form_encoded_body_answers_415(client, auth):
    response = post_raw(client, auth, "name=x", content_type="application/x-www-form-urlencoded")
    assert_envelope(response, 415, "unsupported_media_type")


def test_json_sent_as_text_plain_answers_415(client, auth):
    response = post_raw(client, auth, json.dumps({"name": "x"}), content_type="text/plain")
    assert_envelope(response, 415, "unsupported_media_type")
    assert not ApiToken.objects.filter(name="x").exists()


def test_multipart_body_answers_415(client, auth):
    response = client.post("/api/v1/tokens", {"name": "x"}, headers=auth)  # test client: multipart
    assert_envelope(response, 415, "unsupported_media_type")


def test_json_with_charset_parameter_is_accepted(client, admin_user):
    client.force_login(admin_user)  # SEC-10: tokens are minted from a session, not with a token
    response = post_raw(client, {}, json.dumps({"name": "x"}), "application/json; charset=utf-8")
    assert response.status_code == 201


def test_non_numeric_id_in_the_path_answers_422(client, auth):
    error = assert_envelope(client.delete("/api/v1/tokens/abc", headers=auth), 422, "invalid_input")
    assert "token_id" in error["fields"]
    assert_envelope(client.get("/api/v1/org/units/abc", headers=auth), 422, "invalid_input")


def test_bad_query_parameter_answers_422(client, auth):
    error = assert_envelope(client.get("/api/v1/org/units?kind=planet", headers=auth), 422)
    assert "kind" in error["fields"]


def test_unknown_api_url_answers_404_envelope(client, auth):
    assert_envelope(client.get("/api/v1/nowhere", headers=auth), 404, "not_found")
    assert_envelope(client.get("/api/v1/", headers=auth), 404, "not_found")
    assert_envelope(client.get("/api/v1/org/units/999999", headers=auth), 404, "not_found")


def test_wrong_method_answers_405_envelope(client, auth):
    response = client.put("/api/v1/tokens", "{}", content_type="application/json", headers=auth)
    assert_envelope(response, 405, "method_not_allowed")
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}


def test_domain_conflict_answers_409(client, auth, admin_user):
    # ORG-1: codes are unique; a duplicate is a conflict, not a 500
    body = json.dumps({"kind": "group", "name": "集团", "code": "grp"})
    assert post_raw(client, auth, body, url="/api/v1/org/units").status_code == 201
    body = json.dumps({"kind": "subsidiary", "name": "子公司", "code": "grp", "parent_id": None})
    # a subsidiary needs a group parent: domain validation (400) comes before the duplicate check
    assert_envelope(post_raw(client, auth, body, url="/api/v1/org/units"), 400, "ORG-1.tree")
    group_id = client.get("/api/v1/org/units", headers=auth).json()["items"][0]["id"]
    body = json.dumps({"kind": "subsidiary", "name": "子公司", "code": "grp", "parent_id": group_id})
    error = assert_envelope(post_raw(client, auth, body, url="/api/v1/org/units"), 409, "duplicate")
    assert error["fields"] == {"code": "duplicate"}


def test_explicit_null_in_a_patch_answers_422(client, auth):
    body = json.dumps({"kind": "group", "name": "集团", "code": "grp"})
    unit_id = post_raw(client, auth, body, url="/api/v1/org/units").json()["id"]
    response = client.patch(
        f"/api/v1/org/units/{unit_id}", '{"name": null}', content_type="application/json", headers=auth
    )
    error = assert_envelope(response, 422, "invalid_input")
    assert "name" in error["fields"]


def test_page_size_is_capped_at_200(client, auth):
    assert client.get("/api/v1/org/posts?limit=200", headers=auth).status_code == 200
    error = assert_envelope(client.get("/api/v1/org/posts?limit=201", headers=auth), 422)
    assert "limit" in error["fields"]
    assert_envelope(client.get("/api/v1/org/posts?offset=-1", headers=auth), 422)


def test_default_page_size_is_50(client, auth):
    # ORG-2 seeds 19 posts; the permission catalogue is small too — use tokens, which we can multiply
    admin = ApiToken.objects.get().user
    for i in range(60):
        create_token(Actor(user=admin, origin="test"), user=admin, name=f"t{i}")
    body = client.get("/api/v1/tokens", headers=auth).json()
    assert body["count"] == 61
    assert len(body["items"]) == 50
    rest = client.get("/api/v1/tokens?offset=50", headers=auth).json()
    assert len(rest["items"]) == 11


def test_error_message_follows_accept_language(client, auth):
    zh = client.get("/api/v1/org/units/999999", headers=auth | {"Accept-Language": "zh-hans"})
    en = client.get("/api/v1/org/units/999999", headers=auth | {"Accept-Language": "en"})
    assert zh.json()["error"]["message"] != en.json()["error"]["message"]
    assert en.json()["error"]["message"] == en.json()["error"]["messages"]["en"]


def test_nul_characters_are_refused_not_a_500(client, auth):
    # PostgreSQL cannot store or compare NUL: refused up front on both databases
    error = assert_envelope(post_raw(client, auth, json.dumps({"name": "a\u0000b"})), 422, "invalid_input")
    assert "name" in error["fields"]
    body = json.dumps({"code": "x", "name": "x", "scope": "own", "permissions": ["org.view\u0000"]})
    assert_envelope(post_raw(client, auth, body, url="/api/v1/org/roles"), 422, "invalid_input")
    error = assert_envelope(client.get("/api/v1/org/employees?q=a%00", headers=auth), 422)
    assert "q" in error["fields"]


def test_out_of_range_ids_answer_404_or_422_not_a_500(client, auth):
    # issue 10: every integer parameter is bounded to 64 bits in one place (kefu.core.http_support).
    # A path names a record, and a number no database can hold names none: 404, like an unknown id.
    assert_envelope(client.get("/api/v1/org/units/99999999999999999999", headers=auth), 404, "not_found")
    assert_envelope(client.get("/api/v1/org/units/9223372036854775807", headers=auth), 404, "not_found")
    # A query parameter beyond 64 bits is invalid input, named.
    response = client.get("/api/v1/org/employees?unit=99999999999999999999", headers=auth)
    assert "unit" in assert_envelope(response, 422, "invalid_input")["fields"]


def test_docs_page_is_read_only():
    response = Client(enforce_csrf_checks=True).post("/api/docs", "{}", content_type="application/json")
    assert_envelope(response, 405, "method_not_allowed")
