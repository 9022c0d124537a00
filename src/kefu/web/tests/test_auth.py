"""Sign-in, lockout, idle timeout, sign-out, CSRF and security headers (SEC-10, ORG-6)."""

from datetime import timedelta

from django.conf import settings
from django.test import Client

from kefu import demo as demo_data
from kefu.core import clock


def test_login_page_is_chinese_by_default(db):
    response = Client().get("/login/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="zh-hans">' in body
    assert "登录" in body


def test_every_page_requires_login(demo):
    client = Client()
    for url in ["/", "/profile/", "/audit/", "/org/units/", "/org/employees/", "/org/roles/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_login_works_and_wrong_password_shows_error(demo, client):
    # ORG-6: personal accounts sign in with their own password
    response = client.post("/login/", {"username": "wangfang", "password": "not-the-password"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode() or "正确" in response.content.decode()
    response = client.post("/login/", {"username": "wangfang", "password": demo_data.DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "王芳" in home.content.decode()


def test_lockout_after_repeated_failures(demo, client):
    # SEC-10: after AXES_FAILURE_LIMIT failures the account is locked, even for the right password
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "zhaomin", "password": "wrong-password"})
    response = client.post("/login/", {"username": "zhaomin", "password": demo_data.DEMO_PASSWORD})
    assert response.status_code == 429
    body = response.content.decode()
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert f"{minutes} 分钟" in body
    assert "locked" not in body  # one language per page (issue 13)
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_account(demo, client):
    # SEC-10: one account's lockout does not lock colleagues behind the same address
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "zhaomin", "password": "wrong-password"})
    response = client.post("/login/", {"username": "sunli", "password": demo_data.DEMO_PASSWORD})
    assert response.status_code == 302


def test_idle_timeout_signs_out(demo, frozen, login):
    # SEC-10: a session idle longer than KEFU_SESSION_IDLE_MINUTES ends
    client = login("wangfang")
    assert client.get("/").status_code == 200
    clock.advance(timedelta(minutes=settings.KEFU_SESSION_IDLE_MINUTES - 1))
    assert client.get("/").status_code == 200  # activity keeps the session alive
    clock.advance(timedelta(minutes=settings.KEFU_SESSION_IDLE_MINUTES + 1))
    response = client.get("/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert client.get("/").status_code == 302  # really signed out, not just redirected once


def test_idle_timeout_counts_from_sign_in(demo, frozen, login):
    # SEC-10: the idle period starts at sign-in, even before any other page is opened
    client = login("wangfang")
    clock.advance(timedelta(minutes=settings.KEFU_SESSION_IDLE_MINUTES + 1))
    assert client.get("/").status_code == 302


def test_idle_timeout_tells_htmx_to_reload_login(demo, frozen, login):
    # SEC-10: a fragment request after the timeout sends the whole page to the login form
    client = login("wangfang")
    clock.advance(timedelta(minutes=settings.KEFU_SESSION_IDLE_MINUTES + 1))
    response = client.get("/org/employees/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == "/login/"


def test_logout_is_post_only_and_ends_the_session(demo, login):
    # SEC-10: staff must log out; a GET (a link, an image) cannot sign anyone out
    client = login("wangfang")
    assert client.get("/logout/").status_code == 405
    assert client.get("/").status_code == 200
    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_csrf_is_enforced_on_forms(demo):
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo["wangfang"].user)
    response = client.post("/profile/tokens/", {"name": "no csrf"})
    assert response.status_code == 403
    page = client.get("/profile/")
    token = page.cookies["csrftoken"].value
    response = client.post("/profile/tokens/", {"name": "with csrf", "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert "kefu_" in response.content.decode()


def test_security_headers(demo, login):
    client = login("wangfang")
    for url in ["/login/", "/", "/org/employees/"]:
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


def test_language_switch_to_english(demo, login):
    client = login("wangfang")
    page = client.get("/")
    assert "个人中心" in page.content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/")
    body = page.content.decode()
    assert '<html lang="en">' in body
    assert "My profile" in body
