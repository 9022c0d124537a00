"""zh-Hans is the default language of the pages; English is available on request."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_pages_are_chinese_whatever_the_browser_prefers(client):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "登录" in page and "Sign in</button>" not in page


def test_english_once_chosen(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "Sign in" in page


def test_api_messages_follow_accept_language(client):
    english = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en").json()["error"]
    chinese = client.get("/api/v1/me").json()["error"]
    assert english["message"] == english["messages"]["en"]
    assert chinese["message"] == chinese["messages"]["zh-hans"]
