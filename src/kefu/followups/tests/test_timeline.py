"""CUS-9: the customer page's timeline shows the customer's revisits (tasks and attempts) next to their
cases, as far as the viewer may see them, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.core import memo
from kefu.customers.models import Customer
from kefu.customers.queries import archive
from kefu.followups.actions import attempts
from kefu.followups.models import Outcome, RevisitTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(demo):
    found = Customer.objects.filter(unit__path__startswith=demo["gaofeng"].unit.path).first()
    Customer.objects.filter(pk=found.pk).update(contact_window="", no_third_party_contact=False)
    return Customer.objects.get(pk=found.pk)


def test_cus9_timeline_shows_revisits_next_to_cases(demo, act, client, plan, open_case, resolve, customer):
    case = resolve(open_case(customer=customer))
    task = RevisitTask.objects.get(case=case)
    attempts.record(act("zhengkai"), task, outcome=Outcome.UNSATISFIED, words="还是没水，回电13812345678")
    entries = archive.timeline(act("gaofeng"), customer)
    kinds = {e.kind for e in entries}
    assert {"case", "revisit"} <= kinds
    revisit = [e for e in entries if e.kind == "revisit"]
    assert any("解决后回访" in e.title for e in revisit)
    (line,) = [e for e in revisit if "回访记录" in e.title]
    assert "不满意" in line.title and "138****5678" in line.detail and line.by == "郑凯"
    assert any(e.kind == "case" and case.number in e.title for e in entries)
    client.force_login(demo["gaofeng"].user)
    body = client.get(f"/customers/{customer.pk}/").content.decode()
    assert f"/revisits/{task.pk}/" in body and "回访记录" in body and "13812345678" not in body


def test_cus9_revisits_outside_the_viewers_scope_stay_off_the_timeline(
    demo, act, plan, open_case, resolve, customer
):
    resolve(open_case(customer=customer))
    assert any(e.kind == "revisit" for e in archive.timeline(act("gaofeng"), customer))
    from_other = [e.kind for e in archive.timeline(act("zhaomin"), customer)]  # 华辰置业's agent
    assert "revisit" not in from_other and "case" not in from_other


def test_cus9_revisit_entries_in_a_fixed_number_of_queries(act, plan, open_case, resolve, customer):
    resolve(open_case(customer=customer))
    with memo.scope(), CaptureQueriesContext(connection) as one:
        archive.timeline(act("gaofeng"), customer)
    for title in ("二", "三", "四"):
        resolve(open_case(customer=customer, title=title))
    with memo.scope(), CaptureQueriesContext(connection) as four:
        archive.timeline(act("gaofeng"), customer)
    assert len(four) <= len(one)
