"""Issue 13 "live queues and notifications": a case routed to me is in my inbox, and the badge, the tab
title and 我的工单 follow by themselves through a conditional poll (`engine/notifications/live.py`).

Each routing path that gives a case a new owner leaves one inbox message for that owner; the poll
answers 304 while nothing of the person's changed and 200 after a case reaches them, in a few
statements that do not grow with history (counted, never timed); the poll is no activity for the
idle sign-out (SEC-10).
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kefu.cases.actions import routing as actions_routing
from kefu.cases.models import CaseState
from kefu.core import clock
from kefu.core.middleware import IDLE_KEY
from kefu.engine.notifications.models import Delivery, Notification

pytestmark = pytest.mark.django_db

LIVE = "/inbox/live/"
POLL_STATEMENTS = 5  # session, user with employee, the badge's aggregate, the queue's aggregate — and 1 spare


def told(employee, template="cases.assigned"):
    return list(Notification.objects.filter(recipient=employee.user, template=template))


def login(demo, username) -> Client:
    client = Client()
    client.force_login(demo[username].user)
    return client


def poll(client, etag: str = "", watch: str = "cases.queue"):
    headers = {"HTTP_IF_NONE_MATCH": etag} if etag else {}
    return client.get(LIVE, {"watch": watch} if watch else {}, **headers)


# ── routing tells the new owner ────────────────────────────────────────────────────────────────
def test_route1_intake_routing_leaves_an_inbox_message_for_the_owner(new_case, demo):  # ROUTE-1
    case = new_case(title="咨询交房时间")
    (message,) = told(case.owner)
    assert message.subject == f"【新工单】{case.number} 咨询交房时间"
    assert message.link == f"/cases/{case.pk}/" and message.in_inbox and message.read_at is None
    assert "自动分派" in message.body and "ROUTE-1" in message.body
    assert "13512345678" not in message.body and "钱先生" not in message.body  # nothing personal
    # the inbox only: no e-mail per routed case (docs/decisions.md)
    assert not Delivery.objects.filter(notification=message).exists()
    other = demo["sunli"] if case.owner == demo["zhaomin"] else demo["zhaomin"]
    assert told(other) == []


def test_route1_supervisor_assignment_tells_the_owner_who_assigned(new_case, demo, act):  # ROUTE-1
    for name in ("zhaomin", "sunli"):
        actions_routing.set_availability(act("lina"), demo[name], available=False, note="培训")
    queued = new_case(title="咨询车位")
    assert queued.owner is None and queued.state == CaseState.RECEIVED
    assert Notification.objects.filter(template="cases.assigned").count() == 0  # nobody owns it yet
    actions_routing.set_availability(act("lina"), demo["sunli"], available=True)
    actions_routing.assign(act("lina"), queued, demo["sunli"])
    (message,) = told(demo["sunli"])
    assert message.subject == f"【新工单】{queued.number} 咨询车位"
    assert f"{demo['lina'].name} 分派" in message.body


def test_case6_transfer_tells_the_new_owner(new_case, demo, act):  # CASE-6
    case = new_case()
    other = demo["sunli"] if case.owner == demo["zhaomin"] else demo["zhaomin"]
    actions_routing.transfer(act("lina"), case, reason="客户要求换人", to_owner=other)
    (message,) = told(other, "cases.transferred")
    assert case.number in message.subject and message.link == f"/cases/{case.pk}/"


def test_nobody_is_told_of_a_case_they_gave_themselves(new_case, demo, act):  # ROUTE-1
    for name in ("zhaomin", "sunli"):
        actions_routing.set_availability(act("lina"), demo[name], available=False, note="培训")
    queued = new_case()
    actions_routing.set_availability(act("zhaomin"), demo["zhaomin"], available=True)
    lina = act("lina")
    actions_routing.assign(lina, queued, demo["zhaomin"])
    assert len(told(demo["zhaomin"])) == 1  # from the supervisor: told
    actions_routing._tell_owner(act("zhaomin"), queued, demo["zhaomin"])
    assert len(told(demo["zhaomin"])) == 1  # by themselves: not


# ── the conditional poll ─────────────────────────────────────────────────────────────────────────
def test_poll_answers_304_while_unchanged_and_200_after_a_case_arrives(new_case, demo, groups, frozen):
    client = login(demo, "wujing")  # the complaints group's only member
    first = poll(client)
    assert first.status_code == 200 and first["ETag"].startswith('W/"')
    state = first.json()
    assert state["unread"] == 0 and set(state["versions"]) == {"cases.queue"}
    assert 'id="inbox-badge"' in state["badge"] and 'data-unread="0"' in state["badge"]
    again = poll(client, first["ETag"])
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == first["ETag"]
    case = new_case(kind="complaint", title="物业服务投诉")
    assert case.owner == demo["wujing"]
    changed = poll(client, first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    state = changed.json()
    assert state["unread"] == 1 and 'data-unread="1"' in state["badge"]
    assert state["versions"]["cases.queue"] != first.json()["versions"]["cases.queue"]
    assert poll(client, changed["ETag"]).status_code == 304
    # reading the message changes the badge, hence the answer
    Notification.objects.filter(recipient=demo["wujing"].user).update(read_at=clock.now())
    assert poll(client, changed["ETag"]).json()["unread"] == 0


def test_a_case_leaving_my_queue_changes_its_version(new_case, demo, act, groups, frozen):
    client = login(demo, "wujing")
    case = new_case(kind="complaint", title="物业服务投诉")
    before = poll(client).json()["versions"]["cases.queue"]
    Notification.objects.update(read_at=clock.now())
    read = poll(client).json()["versions"]["cases.queue"]
    assert read != before  # the newest unread message is part of a list's version
    actions_routing.transfer(act("lina"), case, reason="转热线组处理", to_owner=demo["zhaomin"])
    assert poll(client).json()["versions"]["cases.queue"] != read


def test_queue_page_embeds_the_version_the_poll_answers(new_case, demo, groups, frozen):
    new_case(kind="complaint", title="物业服务投诉")
    client = login(demo, "wujing")
    body = client.get("/cases/").content.decode()
    embedded = re.search(r'data-live-watch="cases.queue" data-live-version="(\w+)"', body).group(1)
    assert poll(client).json()["versions"]["cases.queue"] == embedded  # no refresh on the first poll
    assert 'id="live-poll"' in body and 'data-url="/inbox/live/"' in body and "notifications/live.js" in body


def test_poll_statements_do_not_grow_with_history(new_case, demo, groups, frozen):
    client = login(demo, "wujing")
    counts = []
    for round_ in range(2):
        for _ in range(3 * round_):
            new_case(kind="complaint", title="物业服务投诉")
        etag = poll(client)["ETag"]
        with CaptureQueriesContext(connection) as unchanged:
            assert poll(client, etag).status_code == 304
        new_case(kind="complaint", title="又一投诉")
        with CaptureQueriesContext(connection) as changed:
            assert poll(client, etag).status_code == 200
        counts.append((len(unchanged), len(changed)))
    assert counts[0] == counts[1], counts
    assert all(n <= POLL_STATEMENTS for n in counts[0]), counts
    statements = [q["sql"] for q in changed.captured_queries]
    assert sum('FROM "cases_case"' in sql for sql in statements) == 1, statements
    assert sum('FROM "notifications_notification"' in sql for sql in statements) == 1, statements
    assert not [sql for sql in statements if sql.split()[0] in ("UPDATE", "INSERT", "DELETE")]  # no write


def test_poll_is_no_activity_for_the_idle_sign_out(demo):  # SEC-10
    client = login(demo, "zhaomin")
    try:
        assert client.get("/").status_code == 200  # a page stamps the session
        stamped = client.session[IDLE_KEY]
        clock.freeze(clock.now() + timedelta(minutes=5))
        assert poll(client).status_code == 200
        assert client.session[IDLE_KEY] == stamped  # the poll did not
        clock.freeze(clock.now() + timedelta(minutes=40))
        signed_out = poll(client)
        assert signed_out.status_code == 302 and "/login/" in signed_out["Location"]
    finally:
        clock.reset()


def test_poll_ignores_unknown_lists_and_needs_a_session(demo):
    client = login(demo, "zhaomin")
    assert poll(client, watch="cases.queue,nothing.here").json()["versions"].keys() == {"cases.queue"}
    assert poll(client, watch="").json()["versions"] == {}
    assert poll(Client()).status_code == 302  # signed out: to the login page
    assert client.post(LIVE).status_code == 405
