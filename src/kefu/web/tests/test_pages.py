"""Every page: no external URL (intranets), no inline script or style (CSP), navigation by permission."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from kefu.org.models import Site

EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def _pages(demo):
    employee = demo["zhaomin"]
    return [
        reverse("home"),
        reverse("profile"),
        reverse("password_change"),
        reverse("audit"),
        reverse("org:units"),
        reverse("org:unit_create"),
        reverse("org:unit_edit", args=[employee.unit.pk]),
        reverse("org:site_create"),
        reverse("org:site_edit", args=[Site.objects.first().pk]),
        reverse("org:employees"),
        reverse("org:employee", args=[employee.pk]),
        reverse("org:employee_create"),
        reverse("org:employee_edit", args=[employee.pk]),
        reverse("org:roles"),
        reverse("org:role_create"),
        reverse("org:delegations"),
        reverse("org:delegation_create"),
        "/no-such-page/",
    ]


def test_no_page_links_outside_the_server(demo):
    client = Client()
    assert not EXTERNAL.search(client.get("/login/").content.decode())
    client.force_login(demo["admin"].user)
    for url in _pages(demo):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        body = response.content.decode()
        assert not EXTERNAL.search(body), url
        assert "http://" not in body and "https://" not in body, url
        # CSP allows no inline script or style
        assert "<style" not in body and " style=" not in body, url
        # a JSON data block (json_script: the charts' data) is never executed, so the CSP has no say
        assert not re.search(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))", body), url


def test_error_pages_are_friendly(demo):
    client = Client()
    client.force_login(demo["wangfang"].user)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


NAV_LINK = re.compile(r'<li><a href="([^"]+)"[^>]*><span class="nav-icon"')


def _nav_links(client) -> list[str]:
    return NAV_LINK.findall(client.get("/").content.decode())


def test_navigation_follows_permissions(demo):
    client = Client()
    client.force_login(demo["zhaomin"].user)
    body = client.get("/").content.decode()
    assert 'href="/audit/"' not in body  # agents have no audit.view
    client.force_login(demo["wangfang"].user)
    body = client.get("/").content.decode()
    assert 'href="/audit/"' in body
    assert reverse("org:employees") in body  # a manager's directory


def test_front_line_agents_see_their_work_first(demo):
    # issue 13 "Menus by role": an agent's menu led with 组织架构/人员/角色; now 工单, 报备, 消息 come first and
    # the org directory (a supervisor's tool; an agent's own-scope org.view reaches nobody else) is not offered
    client = Client()
    client.force_login(demo["zhaomin"].user)
    links = _nav_links(client)
    assert links[:3] == [reverse("home"), reverse("cases:queue"), reverse("notifications:inbox")]
    for name in ("org:units", "org:employees", "org:roles"):
        assert reverse(name) not in links
    client.force_login(demo["huanglei"].user)  # sales: 报备 before the inbox
    links = _nav_links(client)
    assert links.index(reverse("claims:mine")) < links.index(reverse("notifications:inbox"))


def test_no_navigation_link_answers_403(demo):
    # issue 13: 邮件收发 was offered to managers (audit.view in a subsidiary) and answered 403 (group-wide page)
    client = Client()
    refused = []
    for username, employee in sorted(demo.items()):
        client.force_login(employee.user)
        for link in _nav_links(client):
            status = client.get(link).status_code
            if status == 403 or status >= 500:
                refused.append(f"{username} {link} {status}")
    assert not refused, refused


def test_static_assets_are_served(demo):
    client = Client()
    for path in ["/static/web/kefu.css", "/static/web/kefu.js", "/static/web/vendor/htmx.min.js"]:
        response = client.get(path)
        assert response.status_code == 200, path


def _queries_for(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("username", ["admin", "wangfang"])
def test_lists_do_not_grow_queries_with_rows(demo, django_assert_max_num_queries, username):
    # no N+1: a full page of rows costs the same queries as a short one
    from kefu.org import actions as org_actions
    from kefu.org.models import Unit

    client = Client()
    client.force_login(demo[username].user)
    pages = ["/org/employees/", "/audit/", "/org/units/", "/org/roles/", "/org/delegations/"]
    for url in pages:
        client.get(url)  # warm up: session stamp, caches
    before = {url: _queries_for(client, url, django_assert_max_num_queries, 30) for url in pages}
    from kefu.core.actor import Actor

    admin = Actor(user=demo["admin"].user, origin="test")
    team = Unit.objects.get(code="realty-cs-hotline")
    for i in range(12):
        org_actions.create_employee(
            admin,
            username=f"bulk{i}",
            name=f"批量{i}",
            number=f"BK{i:04d}",
            unit=team,
            post=demo["lina"].post,
        )
    after = {url: _queries_for(client, url, django_assert_max_num_queries, 30) for url in pages}
    assert after == before
