"""NTF-1: the in-app inbox — page, unread badge, mark read (plain and HTMX), API; only one's own."""

import json

import pytest
from django.test import Client

from kefu.core.models import AuditEvent
from kefu.engine.notifications.api import notify
from kefu.engine.notifications.models import Notification


@pytest.fixture
def inbox_of(demo):
    """Three notifications for lina (one with a link), one for zhaomin; a signed-in client for lina."""
    lina, zhaomin = demo["lina"].user, demo["zhaomin"].user
    first = notify([lina], "test.message", {"name": "李娜"}, channels=("inbox",))[0]
    second = notify(
        [lina],
        "timer.breach",
        {"object": "投诉 TS-7", "timer": "首次响应", "due_at": first.created_at},
        link="/org/units/",
        channels=("inbox",),
    )[0]
    third = notify([lina], "test.message", {"name": "李娜", "sent_by": "王芳"}, channels=("inbox",))[0]
    foreign = notify([zhaomin], "test.message", {"name": "赵敏"}, channels=("inbox",))[0]
    client = Client()
    client.force_login(lina)
    return {"client": client, "mine": [first, second, third], "foreign": foreign, "user": lina}


def _badge(body: str) -> str:
    start = body.index('id="inbox-badge"')
    return body[start : body.index("</a>", start)]


def test_inbox_lists_mine_unread_first_with_badge(inbox_of):  # NTF-1
    client = inbox_of["client"]
    first, second, third = inbox_of["mine"]
    client.post(f"/inbox/{third.pk}/read/")
    body = client.get("/inbox/").content.decode()
    assert 'class="inbox-count"' in _badge(body) and ">2</span>" in _badge(body)
    positions = [body.index(f'id="notification-{n.pk}"') for n in (second, first, third)]
    assert positions == sorted(positions)  # unread (newest first), then read
    assert f'id="notification-{inbox_of["foreign"].pk}"' not in body
    assert "【已超时】投诉 TS-7" in body
    # the badge is on every page, for everyone signed in
    assert ">2</span>" in _badge(client.get("/").content.decode())


def test_mark_read_mark_all_and_badge(inbox_of):  # NTF-1
    client = inbox_of["client"]
    first, _second, third = inbox_of["mine"]
    response = client.post(f"/inbox/{first.pk}/read/")
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    assert ">2</span>" in _badge(client.get("/inbox/").content.decode())
    # HTMX: the read row comes back with the badge swapped out of band
    response = client.post(f"/inbox/{third.pk}/read/", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert f'id="notification-{third.pk}"' in body and "unread" not in body.split("</li>")[0]
    assert 'hx-swap-oob="true"' in body and ">1</span>" in _badge(body)
    response = client.post("/inbox/read-all/")
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=inbox_of["user"], read_at__isnull=True).exists()
    body = client.get("/inbox/").content.decode()
    assert 'class="inbox-count"' not in _badge(body)
    # marking all read did not touch someone else's inbox
    inbox_of["foreign"].refresh_from_db()
    assert inbox_of["foreign"].read_at is None


def test_open_follows_the_link_and_marks_read(inbox_of):  # NTF-1
    client = inbox_of["client"]
    second = inbox_of["mine"][1]
    response = client.get(f"/inbox/{second.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/org/units/"
    second.refresh_from_db()
    assert second.read_at is not None


def test_someone_elses_notification_is_not_found(inbox_of):  # NTF-1
    client = inbox_of["client"]
    foreign = inbox_of["foreign"]
    assert client.post(f"/inbox/{foreign.pk}/read/").status_code == 404
    assert client.get(f"/inbox/{foreign.pk}/open/").status_code == 404
    assert client.post(f"/api/v1/notifications/{foreign.pk}/read").status_code == 404
    foreign.refresh_from_db()
    assert foreign.read_at is None


def test_inbox_needs_sign_in_and_is_in_the_navigation(inbox_of):  # NTF-1
    assert Client().get("/inbox/").status_code == 302
    body = inbox_of["client"].get("/").content.decode()
    assert 'href="/inbox/"' in body and "消息" in body


def test_api_list_filter_read_and_read_all(inbox_of):  # NTF-1
    client = inbox_of["client"]
    first, second, third = inbox_of["mine"]
    data = client.get("/api/v1/notifications").json()
    assert data["count"] == 3
    assert [item["id"] for item in data["items"]] == [third.pk, second.pk, first.pk]
    assert data["items"][1]["link"] == "/org/units/" and data["items"][1]["unread"] is True
    assert data["items"][0]["subject"] == "kefu 测试消息"
    response = client.post(f"/api/v1/notifications/{second.pk}/read")
    assert response.status_code == 200 and response.json()["read_at"] is not None
    unread = client.get("/api/v1/notifications?unread=true").json()
    assert [item["id"] for item in unread["items"]] == [third.pk, first.pk]
    page = client.get("/api/v1/notifications?limit=1&offset=1").json()
    assert page["count"] == 3 and [i["id"] for i in page["items"]] == [first.pk]
    response = client.post("/api/v1/notifications/read-all")
    assert response.status_code == 200 and response.json() == {"updated": 2}
    assert client.get("/api/v1/notifications?unread=true").json()["count"] == 0
    assert Client().get("/api/v1/notifications").status_code == 401


def test_api_list_does_not_grow_queries_with_rows(inbox_of, django_assert_max_num_queries):  # NTF-1
    client = inbox_of["client"]
    client.get("/api/v1/notifications")
    with django_assert_max_num_queries(20) as few:
        client.get("/api/v1/notifications")
    for n in range(15):
        notify([inbox_of["user"]], "test.message", {"name": f"n{n}"}, obj=inbox_of["foreign"])
    with django_assert_max_num_queries(20) as many:
        assert len(client.get("/api/v1/notifications").json()["items"]) == 18
    assert len(many) == len(few)


def test_preferences_on_the_profile_page(demo, smtp):  # NTF-1
    client = Client()
    user = demo["lina"].user
    client.force_login(user)
    page = client.get("/profile/").content.decode()
    assert 'id="notifications"' in page and 'action="/inbox/preferences/"' in page
    response = client.post("/inbox/preferences/", {"language": "en", "email_enabled": ""})
    assert response.status_code == 302 and response["Location"] == "/profile/#notifications"
    preference = user.notification_preference
    assert preference.language == "en" and preference.email_enabled is False
    event = AuditEvent.objects.get(action="notifications.preference")
    assert event.before == {"language": "zh-hans", "email_enabled": True, "sms_enabled": True}
    assert event.after == {"language": "en", "email_enabled": False, "sms_enabled": True}
    (notification,) = notify([user], "test.message", {"name": "Lina"})
    assert notification.subject == "kefu test message" and not notification.deliveries.exists()
    assert client.post("/inbox/preferences/", {"language": "fr"}).status_code == 302
    preference.refresh_from_db()
    assert preference.language == "en"


def test_inbox_page_obeys_csp_and_has_no_external_urls(inbox_of):  # NTF-1
    body = inbox_of["client"].get("/inbox/").content.decode()
    assert "<style" not in body and " style=" not in body
    assert "http://" not in body and "https://" not in body
    assert json.dumps("/static/notifications/inbox.css")[1:-1] in body
    assert Client().get("/static/notifications/inbox.css").status_code == 200
