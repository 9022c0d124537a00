"""CSAT-1 on PostgreSQL with real parallel connections: customers answering one survey at once leave
exactly one current answer, every answer kept (the survey row is the lock; a partial unique
constraint holds one current answer per survey)."""

import threading

import pytest
from django.db import connection, connections

from kefu import demo as demo_data
from kefu.cases import actions as case_actions
from kefu.cases.actions import routing
from kefu.followups.actions import surveys
from kefu.followups.models import SurveyAnswer
from kefu.followups.tests.survey_helpers import GOOD, close, fresh_token
from kefu.org.access import actor_for
from kefu.org.models import Employee

N = 6


@pytest.mark.pg_only
@pytest.mark.django_db(transaction=True)
def test_parallel_answers_leave_one_current(admin_user):  # CSAT-1
    if connection.vendor != "postgresql":
        pytest.skip("parallel connections: PostgreSQL")
    demo_data.load(service_cases=False)
    people = {e.user.username: e for e in Employee.objects.select_related("user", "unit")}

    def act(username):
        return actor_for(people[username].user, origin="test")

    case, _ = case_actions.create_case(
        act("lvxin"),
        unit=people["lvxin"].unit,
        kind="consultation",
        channel="phone",
        title="并发回答",
        contact={"name": "周女士", "phone": "13600001111"},
    )
    if case.owner_id != people["lvxin"].pk:
        routing.assign(act("gaofeng"), case, people["lvxin"])
    case.refresh_from_db()
    for step, data in (
        ("accept", None),
        ("propose", {"solution": "更换"}),
        ("inform", {"customer_reply": "好"}),
    ):
        case = case_actions.act(act("lvxin"), case, step, data=data)
    close(act, case)
    token = fresh_token(case)
    start, errors = threading.Barrier(N, timeout=30), []

    def answer(i):
        try:
            start.wait()
            surveys.answer_by_token(token=token, ratings=GOOD, words=f"第{i}次", ip=f"198.51.100.{i}")
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=answer, args=(i,)) for i in range(N)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    answers = SurveyAnswer.objects.filter(survey__case=case)
    assert answers.count() == N and answers.filter(current=True).count() == 1
