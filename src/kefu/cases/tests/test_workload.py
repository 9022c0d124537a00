"""ROUTE-1 "fewest open cases" reads counts kept by the case actions (issue 11): after any sequence of
receipts, assignments, transfers, answers, reopenings and closures the kept counts equal a recount,
and routing follows the kept counts. On PostgreSQL, parallel intakes keep them exact too."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from kefu.cases import actions
from kefu.cases.actions import routing as actions_routing
from kefu.cases.actions import workload
from kefu.cases.lifecycle import CASE
from kefu.cases.models import OPEN_STATES, Case, MemberLoad
from kefu.cases.tests.test_api_cases import BODY, bearer


def test_each_transition_leaves_from_open_states_only_or_from_closed_ones_only():  # ROUTE-1
    """`actions.act` counts a move by its declaration: this must hold for the count to be right."""
    for move in CASE.transitions:
        assert len({state in OPEN_STATES for state in move.source}) == 1, move.name


@pytest.mark.django_db
def test_kept_counts_equal_a_recount_after_a_sequence_of_actions(demo, act, new_case, groups):  # ROUTE-1
    def check():
        assert workload.counted() == workload.actual()

    first = new_case(title="交房时间")
    second = new_case(title="物业费")
    third = new_case(title="车位")
    complaint = new_case(kind="complaint", title="维修拖延")
    check()
    assert workload.counted()[demo["wujing"].pk] == 1

    other = demo["sunli"] if first.owner_id == demo["zhaomin"].pk else demo["zhaomin"]
    actions_routing.transfer(act(first.owner.user.username), first, reason="熟悉该楼盘", to_owner=other)
    check()

    owner = act(second.owner.user.username)
    second = actions.act(owner, second, "accept")
    second = actions.act(owner, second, "answer", data={"solution": "已解答", "customer_reply": "已告知"})
    check()  # answered: no longer open
    second = actions.act(owner, second, "reopen", reason="客户不满意")
    check()  # open again

    owner = act(third.owner.user.username)
    third = actions.act(owner, third, "answer", data={"solution": "已解答", "customer_reply": "已告知"})
    third = actions.act(owner, third, "close", data={"satisfied": True})
    third = actions.act(owner, third, "archive")
    check()

    for person in ("zhaomin", "sunli"):  # nobody available: the next case waits in the queue
        actions_routing.set_availability(act(person), demo[person], available=False, note="外出")
    queued = new_case(title="排队")
    assert queued.owner_id is None
    check()
    actions_routing.set_availability(act("zhaomin"), demo["zhaomin"], available=True)
    actions_routing.assign(act("lina"), queued)
    check()

    actions_routing.transfer(act("lina"), complaint, reason="转热线", to_group=groups["hotline"])
    check()
    assert sum(workload.counted().values()) == Case.objects.filter(state__in=OPEN_STATES).count()


@pytest.mark.django_db
def test_routing_follows_the_kept_counts(demo, new_case):  # ROUTE-1
    zhaomin, sunli = demo["zhaomin"], demo["sunli"]
    MemberLoad.objects.update_or_create(employee=zhaomin, defaults={"open_cases": 100})
    MemberLoad.objects.update_or_create(employee=sunli, defaults={"open_cases": 0})
    assert new_case(title="一").owner_id == sunli.pk
    MemberLoad.objects.filter(employee=sunli).update(open_cases=200)
    assert new_case(title="二").owner_id == zhaomin.pk
    assert MemberLoad.objects.get(employee=zhaomin).open_cases == 101


@pytest.mark.django_db
def test_recount_rebuilds_the_counts(demo, new_case):  # ROUTE-1
    new_case(title="一")
    new_case(title="二")
    MemberLoad.objects.all().delete()
    assert workload.counted() == {}
    workload.recount()
    assert workload.counted() == workload.actual() and sum(workload.counted().values()) == 2


@pytest.mark.pg_only
@pytest.mark.django_db(transaction=True)
def test_parallel_intakes_keep_the_counts_exact(admin_user):  # ROUTE-1, issue 11
    if connection.vendor != "postgresql":
        pytest.skip("parallel connections: PostgreSQL")
    from kefu import demo as demo_data
    from kefu.cases.tests.conftest import groups as make_groups
    from kefu.org.models import Employee

    demo_data.load(service_cases=False)
    people = {e.user.username: e for e in Employee.objects.select_related("user")}
    make_groups.__wrapped__(people)
    auth = bearer(people["zhaomin"].user)
    start = threading.Barrier(8, timeout=30)
    statuses = []

    def intake(n):
        try:
            start.wait()
            body = dict(BODY, customer={"name": "钱先生", "phone": f"135000001{n:02d}"})
            answer = Client().post("/api/v1/cases", body, content_type="application/json", **auth)
            statuses.append(answer.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=intake, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [201] * 8
    assert workload.counted() == workload.actual()
    assert sum(workload.counted().values()) == 8
