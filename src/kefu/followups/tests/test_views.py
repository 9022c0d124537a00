"""回访 pages (FUP-1, FUP-2): 郑凯's queue and the task page with its attempt form."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kefu.core import clock
from kefu.customers.models import Customer
from kefu.followups.models import RevisitTask, TaskState

pytestmark = pytest.mark.django_db


def _client(demo, username):
    client = Client()
    client.force_login(demo[username].user)
    return client


def test_queue_lists_due_first_and_overdue_in_red(demo, plan, open_case, resolve):  # FUP-1
    first = RevisitTask.objects.get(case=resolve(open_case(title="先到期")))
    clock.advance(timedelta(days=3))
    second = RevisitTask.objects.get(case=resolve(open_case(title="后到期")))
    page = _client(demo, "zhengkai").get("/revisits/")
    html = page.content.decode()
    assert page.status_code == 200 and "我的回访" in html
    assert html.index(f"revisit-row-{first.pk}") < html.index(f"revisit-row-{second.pk}")
    row = html[html.index(f'id="revisit-row-{first.pk}"') :][:200]
    assert "row-overdue" in row  # 先到期 is past its due time now
    assert "row-overdue" not in html[html.index(f'id="revisit-row-{second.pk}"') :][:200]
    ended = _client(demo, "zhengkai").get("/revisits/?state=ended")
    assert f"revisit-row-{first.pk}" not in ended.content.decode()


def test_task_page_records_an_attempt(demo, plan, open_case, resolve):  # FUP-1
    task = RevisitTask.objects.get(case=resolve(open_case()))
    client = _client(demo, "zhengkai")
    page = client.get(f"/revisits/{task.pk}/")
    assert page.status_code == 200 and "回访记录表" in page.content.decode()
    answer = client.post(
        f"/revisits/{task.pk}/",
        {"method": "phone", "outcome": "satisfied", "words": "很好", "follow_up": "reopen"},
    )
    assert answer.status_code == 302
    task.refresh_from_db()
    assert task.state == TaskState.DONE


def test_refused_attempt_shows_the_rule(demo, plan, open_case, resolve):  # FUP-2

    customer = Customer.objects.filter(
        unit__path__startswith=demo["gaofeng"].unit.path.rsplit("/", 2)[0]
    ).first()
    Customer.objects.filter(pk=customer.pk).update(contact_window="12:00–14:00")
    task = RevisitTask.objects.get(case=resolve(open_case(customer=customer)))
    answer = _client(demo, "zhengkai").post(
        f"/revisits/{task.pk}/", {"method": "phone", "outcome": "satisfied", "follow_up": "reopen"}
    )
    assert answer.status_code == 400 and "FUP-2" in answer.content.decode()
    assert not task.attempts.exists()


def test_task_out_of_scope_is_404(demo, plan, open_case, resolve):  # FUP-1
    task = RevisitTask.objects.get(case=resolve(open_case()))
    assert _client(demo, "zhaomin").get(f"/revisits/{task.pk}/").status_code == 404
    assert _client(demo, "zhengkai").get("/revisits/99999999999999999999/").status_code == 404


def test_queue_statements_do_not_grow_with_rows(demo, plan, open_case, resolve):  # FUP-1

    resolve(open_case(title="一"))
    client = _client(demo, "zhengkai")
    client.get("/revisits/")  # the session's first page reads the grants and refreshes the session
    with CaptureQueriesContext(connection) as one:
        client.get("/revisits/")
    for n in range(4):
        resolve(open_case(title=f"第{n}件"))
    with CaptureQueriesContext(connection) as five:
        assert client.get("/revisits/").content.decode().count('id="revisit-row-') == 5
    assert len(five) == len(one)
