"""Bad input answers a 4xx with the error envelope, never a 500 (issue 10, "Bad input that answers 500").

The bounds live in one place, kefu.core.http_support: every integer parameter (query, path, form) and
every JSON integer is 64-bit, list offsets stop at OFFSET_MAX, date parameters lie in
PARAM_YEAR_MIN…PARAM_YEAR_MAX, and a multipart body that cannot be parsed is a 400.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kefu.cases.tests.test_api_attachments import media  # noqa: F401 — a fixture: files under tmp_path
from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.core.tests.test_api_errors import assert_envelope

pytestmark = pytest.mark.django_db

# written out here, not imported from kefu.core.http_support
INT_MAX = 2**63 - 1
OFFSET_MAX = 2**31 - 1

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
TOO_BIG = INT_MAX + 1  # 9223372036854775808: SQLite's OverflowError, PostgreSQL's bigint overflow


def bearer(user) -> dict:
    _, secret = create_token(Actor(user=user, origin="test"), user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def api(admin_user):
    client = Client(raise_request_exception=False)  # a 500 must show as a 500, not as an exception
    auth = bearer(admin_user)

    def call(method: str, url: str, **kwargs):
        return getattr(client, method)(url, **auth, **kwargs)

    return call


def paginated_lists() -> list[str]:
    """Every paginated GET without a path parameter, read from the OpenAPI document (they all share
    kefu.core.http_support.Pagination or a subclass)."""
    from kefu.http import api

    doc = api.get_openapi_schema(path_prefix="/api/v1/")
    return sorted(
        path
        for path, operations in doc["paths"].items()
        if "{" not in path
        and {"limit", "offset"} <= {p["name"] for p in operations.get("get", {}).get("parameters", [])}
    )


LISTS = paginated_lists()


def test_the_lists_are_found():
    assert len(LISTS) >= 10 and "/api/v1/notifications" in LISTS and "/api/v1/customers" in LISTS


@pytest.mark.parametrize("url", LISTS)
def test_a_huge_offset_or_limit_is_a_422_on_every_list(api, demo, url):
    # issue 10: GET /api/v1/notifications?offset=99999999999999999999 answered 500
    assert api("get", f"{url}?limit=1").status_code == 200
    for query in (
        "offset=99999999999999999999",
        f"offset={TOO_BIG}",
        f"offset={OFFSET_MAX + 1}",
        "limit=99999999999999999999",
        "offset=-1",
    ):
        error = assert_envelope(api("get", f"{url}?{query}"), 422, "invalid_input")
        assert set(error["fields"]) & {"offset", "limit"}, (url, query, error)
    assert api("get", f"{url}?offset={OFFSET_MAX}").json()["items"] == []


def test_an_integer_beyond_64_bits_in_a_query_parameter_is_a_422(api, demo):
    # issue 10: owner_id=9223372036854775808 on /api/v1/customers answered 500 on SQLite
    assert api("get", f"/api/v1/customers?owner_id={INT_MAX}").status_code == 200
    for value in (TOO_BIG, -TOO_BIG - 1, "9" * 40):
        error = assert_envelope(api("get", f"/api/v1/customers?owner_id={value}"), 422, "invalid_input")
        assert "owner_id" in error["fields"]
    assert "unit" in assert_envelope(api("get", f"/api/v1/policy/entries?unit={TOO_BIG}"), 422)["fields"]


def test_an_integer_beyond_64_bits_in_a_path_is_a_404_like_any_unknown_id(api, demo):
    for url in ("/api/v1/customers/{}", "/api/v1/org/units/{}", "/api/v1/notifications/{}/read"):
        method = "post" if url.endswith("read") else "get"
        for value in (TOO_BIG, -TOO_BIG - 1, INT_MAX):
            assert_envelope(api(method, url.format(value)), 404, "not_found")


def test_an_integer_beyond_64_bits_in_a_json_body_is_a_422(api, demo):
    body = json.dumps({"name": "x", "code": "x", "kind": "department", "parent_id": TOO_BIG})
    error = assert_envelope(api("post", "/api/v1/org/units", data=body, content_type="application/json"), 422)
    assert error["fields"] == {"parent_id": [f"must be between {-(2**63)} and {INT_MAX}"]}
    # nested in a list too
    body = json.dumps({"role_ids": [1, TOO_BIG]})
    response = api("put", "/api/v1/org/employees/1/roles", data=body, content_type="application/json")
    assert_envelope(response, 422, "invalid_input")


def test_an_integer_beyond_64_bits_in_a_form_field_is_a_422(api, demo):
    upload = SimpleUploadedFile("a.xlsx", b"PK\x03\x04", "application/octet-stream")
    response = api(
        "post",
        "/api/v1/customers/governance/imports",
        data={"unit_id": TOO_BIG, "existing": "skip", "file": upload},
    )
    assert "form.unit_id" in assert_envelope(response, 422, "invalid_input")["fields"]


@pytest.mark.parametrize("year", ["9999", "0001"])
def test_calendar_days_in_year_9999_or_0001_are_a_422(api, demo, year):
    # issue 10: GET /api/v1/calendars/office/days?from=9999-01-01&to=9999-12-31 answered 500
    response = api("get", f"/api/v1/calendars/office/days?from={year}-01-01&to={year}-12-31")
    error = assert_envelope(response, 422, "invalid_input")
    assert set(error["fields"]) == {"from", "to"}
    response = api("get", f"/api/v1/calendars/office/due?start={year}-12-31T10:00:00%2B08:00&working_days=3")
    assert "start" in assert_envelope(response, 422, "invalid_input")["fields"]
    assert api("get", "/api/v1/calendars/office/days?from=2999-12-01&to=2999-12-31").status_code == 200


def test_the_calendar_engine_never_fails_on_a_date(demo):
    # CAL-3: "Never fail on a date" — the engine itself answers for the first and last years Python has
    from datetime import date

    from kefu.engine.calendars import queries

    assert len(queries.days("office", date(9999, 1, 1), date(9999, 12, 31))) == 365
    assert len(queries.days("office", date(1, 1, 1), date(1, 12, 31))) == 365
    assert queries.days("office", date(9999, 4, 5), date(9999, 4, 5))[0].name == "清明节"


@pytest.fixture
def a_case(demo, admin_user):
    from kefu.cases.tests.test_api_cases import BODY

    client = Client()
    made = client.post("/api/v1/cases", BODY, content_type="application/json", **bearer(demo["zhaomin"].user))
    assert made.status_code == 201, made.content
    return made.json()["id"]


@pytest.mark.parametrize("body", [b"--x\r\nfoo", b"--\r\n\r\n", b"\x00" * 10])
def test_multipart_without_a_boundary_is_a_400(api, a_case, body):
    # issue 10: a multipart request without a boundary to the attachments and import endpoints answered 500
    for url in (f"/api/v1/cases/{a_case}/attachments", "/api/v1/customers/governance/imports"):
        for content_type in (
            "multipart/form-data",
            "multipart/form-data; boundary=",
            "multipart/form-data; boundary=\x00",
        ):
            response = api("post", url, data=body, content_type=content_type)
            assert_envelope(response, 400, "malformed_multipart")
        # with no body at all there is nothing to parse: the file is simply missing
        response = api("post", url, data=b"", content_type="multipart/form-data")
        assert "file.file" in assert_envelope(response, 422, "invalid_input")["fields"]


@pytest.mark.parametrize(
    "name",
    ["a" * 2000 + ".png", "客" * 2000 + ".png", "a." + "b" * 2000, "." * 2000, "/" * 2000 + "x.png"],
)
@pytest.mark.usefixtures("media")
def test_a_2000_character_upload_filename_is_stored_shortened_or_refused(api, a_case, name):
    # issue 10: a 2,000-character upload filename answered 500 (also past the in-memory upload size)
    from kefu.org.models import Unit

    for content in (PNG, PNG + b"\x00" * (3 * 1024 * 1024)):
        upload = SimpleUploadedFile(name, content, "image/png")
        response = api("post", f"/api/v1/cases/{a_case}/attachments", data={"file": upload})
        assert response.status_code in (201, 400), response.content
        if response.status_code == 201:
            assert 0 < len(response.json()["name"]) <= 200
    unit = Unit.objects.filter(kind="subsidiary").order_by("pk").first()
    upload = SimpleUploadedFile(name, b"PK\x03\x04", "application/octet-stream")
    response = api(
        "post",
        "/api/v1/customers/governance/imports",
        data={"unit_id": unit.pk, "existing": "skip", "file": upload},
    )
    assert response.status_code == 202, response.content
    assert len(response.json()["filename"]) <= 200
