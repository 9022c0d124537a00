"""Web pages with bad query parameters answer a page or a 4xx, never a 500 (issue 10).

Every GET page of the web UI (the URLconf, less the API and Django's admin) is requested with each
parameter it reads set to a value no database key, date or number can be: the parameters named by
its own forms and links, plus the ones views read by hand. Pages that take a record id in the path
are requested with an id beyond 64 bits. Bounded: one request per page, parameter and bad value.
"""

import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

pytestmark = pytest.mark.django_db

BAD_VALUES = [
    "99999999999999999999",
    "abc",
    "9999-12-31",
    "0001-01-01",
]  # beyond 64 bits, no number, edge dates
# parameters views read from request.GET by hand (not always in a form or link on the page): sent
# together, one request per bad value — each is read on its own, so one cannot hide another
EXTRA_KEYS = [
    "page",
    "offset",
    "parent",
    "delegator",
    "days",
    "view",
    "unread",
    "box",
    "customer",
    "find",
    "employee",
]
SKIP = ("api/", "django-admin/", "logout", "i18n/", "static/", "favicon")


def routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def pages() -> tuple[list[str], list[str]]:
    """(pages without path parameters, pages whose path parameters are record ids filled with 2**64)."""
    plain, with_ids = [], []
    for route in routes():
        if route.startswith(SKIP) or "^" in route or "(?" in route:
            continue
        if "<" not in route:
            plain.append("/" + route)
        elif re.fullmatch(r"[^<]*(<int:\w+>[^<]*)+", route):
            with_ids.append("/" + re.sub(r"<int:\w+>", "18446744073709551616", route))
    return sorted(set(plain)), sorted(set(with_ids))


PLAIN, WITH_IDS = pages()


def _keys(html: str) -> set[str]:
    """The parameter names a page's own GET forms and links use: each is tried on its own."""
    names = set()
    for attrs, body in re.findall(r"<form\b([^>]*)>(.*?)</form>", html, re.S | re.I):
        if 'method="post"' not in attrs.lower():  # a GET form: its fields become query parameters
            names |= set(re.findall(r'<(?:input|select|textarea)\b[^>]*\bname="([\w-]+)"', body))
    for query in re.findall(r'href="[^"?]*\?([^"#]*)"', html):
        names |= set(re.findall(r"(?:^|&amp;|&)([\w-]+)=", query))
    return names - {"csrfmiddlewaretoken"}


@pytest.fixture
def browser(admin_user):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    return client


def test_the_pages_are_found():
    assert "/customers/" in PLAIN and "/org/units/new/" in PLAIN and len(PLAIN) > 30
    assert any(p.startswith("/cases/18446744073709551616") for p in WITH_IDS)


def test_no_page_answers_500_to_a_bad_query_parameter(browser, demo):
    # issue 10: /discipline/?employee=9223372036854775808, /org/units/new/?parent=abc and
    # /org/delegations/new/?delegator=abc answered 500
    failures = []
    for url in PLAIN:
        first = browser.get(url)
        if first.status_code >= 500:
            failures.append(f"{url} → {first.status_code}")
            continue
        html = first.content.decode(errors="replace") if first["Content-Type"].startswith("text/html") else ""
        keys = sorted(_keys(html))
        everything = "&".join(
            f"{key}={quote(chr(0))}" for key in [*keys, *EXTRA_KEYS]
        )  # NUL: PostgreSQL refuses it in SQL
        if (response := browser.get(f"{url}?{everything}")).status_code >= 500:
            failures.append(f"{url}?<every parameter NUL> → {response.status_code}")
        for value in BAD_VALUES:
            query = "&".join(f"{key}={quote(value)}" for key in EXTRA_KEYS)
            if (response := browser.get(f"{url}?{query}")).status_code >= 500:
                failures.append(f"{url}?<{'/'.join(EXTRA_KEYS)}>={value!r} → {response.status_code}")
        for key in keys:
            for value in BAD_VALUES:
                response = browser.get(f"{url}?{key}={quote(value)}")
                if response.status_code >= 500:
                    failures.append(f"{url}?{key}={value!r} → {response.status_code}")
    assert not failures, "\n".join(failures)


def test_no_page_answers_500_to_an_id_beyond_64_bits(browser, demo):
    failures = [f"{url} → {r.status_code}" for url in WITH_IDS if (r := browser.get(url)).status_code >= 500]
    assert not failures, "\n".join(failures)


def test_a_low_privilege_user_gets_no_500_either(demo):
    client = Client(raise_request_exception=False)
    client.force_login(demo["zhaomin"].user)
    query = "&".join(f"{key}={quote(BAD_VALUES[0])}" for key in EXTRA_KEYS)
    failures = [
        f"{url} → {r.status_code}" for url in PLAIN if (r := client.get(f"{url}?{query}")).status_code >= 500
    ]
    assert not failures, "\n".join(failures)


def test_a_token_valid_until_9999_12_31_is_a_form_error_not_a_500(browser):
    # the token form computes the end of the chosen day: 9999-12-31 + 1 day overflowed
    response = browser.post("/profile/tokens/", {"name": "x", "expires_on": "9999-12-31"})
    assert response.status_code == 200
    assert "expires_on" in response.context["token_form"].errors


def test_a_nul_in_the_query_string_is_the_400_page(browser, demo):
    # PostgreSQL: /cases/new/?customer=%00 answered 500 (a NUL cannot be compared); refused up front
    response = browser.get("/cases/new/?customer=%00")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert response["Content-Security-Policy"]
    # the API keeps its own answer: 422 naming the parameter
    assert browser.get("/api/v1/org/units?kind=%00").status_code == 422
