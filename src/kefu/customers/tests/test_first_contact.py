"""CUS-7 first contact through the workflow engine: history, warning before breach, breach to the
supervisor with a decision record, first contact stops the timer — in actions, pages and the API."""

from datetime import UTC, datetime, timedelta

import pytest

from kefu.core import clock
from kefu.core.decisions import for_object
from kefu.core.models import AuditEvent
from kefu.customers import actions
from kefu.customers.models import AssignmentState, Customer
from kefu.customers.queries import assignment
from kefu.engine.notifications.models import Notification
from kefu.engine.workflow.actions import deadlines
from kefu.engine.workflow.history import history
from kefu.engine.workflow.models import Escalation, TimerState

pytestmark = pytest.mark.django_db

SHANGHAI_0830 = (0, 30)  # 08:30 in Shanghai is 00:30 UTC: the office calendar opens


def _inbox(user, template):
    return Notification.objects.filter(recipient=user, template=template)


def test_cus7_assignment_goes_through_the_workflow_history(make_customer, demo, actor_of, frozen):
    # CUS-7: assigning is the declared transition `assign` — history row, audit, timer, decision
    manager = actor_of(demo["wangfang"])
    customer = actions.assign(manager, make_customer(name="历史客户"), demo["zhaomin"])
    moves = list(history(customer))
    assert [(m.transition, m.from_state, m.to_state) for m in moves] == [("assign", "unassigned", "assigned")]
    assert moves[0].actor == demo["wangfang"].user
    assert AuditEvent.objects.filter(action="customers.customer.assign", object_id=str(customer.pk)).exists()
    timer = assignment.first_contact_timer(customer)
    assert timer.state == TimerState.RUNNING and timer.rule == "CUS-7"
    assert timer.due_at == frozen + timedelta(days=7)  # 一周: seven calendar days
    decision = [d for d in for_object(customer) if d.rule == "CUS-7"][-1]
    assert decision.outcome == "分配给 赵敏 / assigned to 赵敏" and "一周内" in decision.clause
    # reassigning restarts the timer and adds to the history
    clock.advance(timedelta(days=2))
    again = actions.assign(manager, customer, demo["huanglei"])
    assert again.specialist == demo["huanglei"]
    assert [m.transition for m in history(customer)] == ["assign", "assign"]
    assert assignment.first_contact_timer(customer).due_at == clock.now() + timedelta(days=7)


def test_cus7_warning_before_first_contact_breach(make_customer, demo, actor_of, frozen):
    # CUS-7: Monday 10:00 → due next Monday 10:00; the specialist is reminded at the opening of the
    # last working day before it (Friday 08:30, customers.first_contact_warn_before = 1 working day)
    manager = actor_of(demo["wangfang"])
    customer = actions.assign(manager, make_customer(name="提醒客户"), demo["zhaomin"])
    timer = assignment.first_contact_timer(customer)
    assert timer.warn_at == datetime(2026, 3, 6, *SHANGHAI_0830, tzinfo=UTC)
    clock.freeze(datetime(2026, 3, 6, 0, 29, tzinfo=UTC))
    deadlines.sweep()
    assert not _inbox(demo["zhaomin"].user, "timer.warning").exists()
    clock.freeze(datetime(2026, 3, 6, 0, 31, tzinfo=UTC))
    deadlines.sweep()
    warning = _inbox(demo["zhaomin"].user, "timer.warning").get()
    assert "提醒客户" in warning.subject and "分配后首次沟通时限" in warning.subject
    assert "CUS-7" in warning.body
    assert not _inbox(demo["lina"].user, "timer.warning").exists()  # the warning is the specialist's
    deadlines.sweep()
    assert _inbox(demo["zhaomin"].user, "timer.warning").count() == 1  # once
    # no contact by the deadline: breach → decision record naming CUS-7, the supervisor is told
    clock.freeze(frozen + timedelta(days=7, minutes=1))
    deadlines.sweep()
    timer.refresh_from_db()
    assert timer.state == TimerState.BREACHED
    breach = [d for d in for_object(customer) if "超时" in d.outcome]
    assert len(breach) == 1 and breach[0].rule == "CUS-7" and "一周内" in breach[0].clause
    assert _inbox(demo["zhaomin"].user, "timer.breach").count() == 1
    told = _inbox(demo["lina"].user, "escalation.raised").get()  # 李娜 supervises 赵敏
    assert "提醒客户" in told.subject and "客服专员的上级主管" in told.subject
    assert Escalation.objects.get(object_id=str(customer.pk)).chain == "customers.first_contact"
    deadlines.sweep()
    assert _inbox(demo["lina"].user, "escalation.raised").count() == 1


def test_cus7_warning_lands_on_a_working_day_before_a_holiday(make_customer, demo, actor_of):
    # CUS-7 on the office calendar: due Monday 5 Oct 2026 (National Day) → reminded Wed 30 Sep 08:30
    clock.freeze(datetime(2026, 9, 28, 2, 0, tzinfo=UTC))
    customer = actions.assign(actor_of(demo["wangfang"]), make_customer(), demo["zhaomin"])
    timer = assignment.first_contact_timer(customer)
    assert timer.due_at == datetime(2026, 10, 5, 2, 0, tzinfo=UTC)
    assert timer.warn_at == datetime(2026, 9, 30, *SHANGHAI_0830, tzinfo=UTC)


def test_cus7_first_contact_stops_the_timer_before_warning(make_customer, demo, actor_of, frozen):
    # CUS-7: recording the first contact is the transition `contact`; nothing is sent afterwards
    manager = actor_of(demo["wangfang"])
    customer = actions.assign(manager, make_customer(), demo["zhaomin"])
    clock.advance(timedelta(days=1))
    actions.record_contact(actor_of(demo["zhaomin"]), customer, "电话沟通")
    assert Customer.objects.get(pk=customer.pk).assignment_state == AssignmentState.CONTACTED
    assert [m.transition for m in history(customer)] == ["assign", "contact"]
    assert assignment.first_contact_timer(customer).state == TimerState.DONE
    clock.advance(timedelta(days=10))
    deadlines.sweep()
    assert not Notification.objects.filter(template__in=["timer.warning", "timer.breach"]).exists()
    # a later contact is only a record: no second transition
    actions.record_contact(manager, customer, "回访")
    assert [m.transition for m in history(customer)] == ["assign", "contact"]


def test_cus7_balanced_assignment_by_load_through_the_engine(make_customer, demo, actor_of, frozen):
    # CUS-7: with no specialist named, the least-loaded one is chosen; the load is in the decision
    manager = actor_of(demo["wangfang"])
    customer = make_customer(name="甲")
    loads = {e.pk: e.load for e in assignment.candidates(customer)}
    chosen = actions.assign(manager, customer).specialist
    assert loads[chosen.pk] == min(loads.values())
    assert {e.pk: e.load for e in assignment.candidates(customer)}[chosen.pk] == loads[chosen.pk] + 1
    decision = [d for d in for_object(customer) if d.rule == "CUS-7"][-1]
    assert decision.inputs["load"] == loads[chosen.pk]
    assert "customers.first_contact_within" in decision.inputs
    assert assignment.first_contact_timer(customer).state == TimerState.RUNNING


def test_cus7_detail_page_shows_due_and_history(make_customer, demo, actor_of, client, frozen):
    customer = actions.assign(actor_of(demo["wangfang"]), make_customer(), demo["zhaomin"])
    client.force_login(demo["hemei"].user)  # may view, may not manage: sees the status, no form
    page = client.get(f"/customers/{customer.pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "2026-03-09 10:00" in body and "分配客服专员" in body and "2026-03-06 08:30" in body
    assert f"/customers/{customer.pk}/assign/" not in body


def test_cus7_api_assign_and_record_contact(make_customer, demo, client, frozen):
    customer = make_customer()
    client.force_login(demo["wangfang"].user)
    body = client.post(
        f"/api/v1/customers/{customer.pk}/assign",
        {"specialist_id": demo["zhaomin"].pk},
        content_type="application/json",
    ).json()
    assert body["assignment_state"] == "assigned" and body["specialist"]["name"] == "赵敏"
    assert body["first_contact"]["state"] == "running"
    assert body["first_contact"]["due_at"].startswith("2026-03-09T02:00")
    assert body["first_contact"]["warn_at"].startswith("2026-03-06T00:30")
    refused = client.post(
        f"/api/v1/customers/{customer.pk}/assign",
        {"specialist_id": demo["lvxin"].pk},  # 水务: another subsidiary
        content_type="application/json",
    )
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "CUS-7.not_specialist"
    assert "CUS-7" in refused.json()["error"]["messages"]["zh-hans"]
    done = client.post(
        f"/api/v1/customers/{customer.pk}/contact-records",
        {"note": "电话沟通"},
        content_type="application/json",
    )
    assert done.status_code == 201
    detail = client.get(f"/api/v1/customers/{customer.pk}").json()
    assert detail["assignment_state"] == "contacted" and detail["first_contact"]["state"] == "done"


def test_cus7_pages_refuse_and_explain_bilingually(make_customer, demo, client, settings, frozen):
    # CUS-7 on the page: a viewer without customer.manage gets 403; a wrong specialist or an empty
    # note comes back on the customer page with the rule's message, in Chinese or English
    customer = make_customer()
    client.force_login(demo["hemei"].user)
    assert client.post(f"/customers/{customer.pk}/assign/", {}).status_code == 403
    client.force_login(demo["wangfang"].user)
    for bad in (demo["lvxin"].pk, 999999, "abc"):  # another subsidiary's agent, nobody, garbage
        wrong = client.post(f"/customers/{customer.pk}/assign/", {"specialist": bad}, follow=True)
        assert (
            wrong.status_code == 200
            and "CUS-7：只能分配给本公司在职的客服专员或销售" in wrong.content.decode()
        )
    assert Customer.objects.get(pk=customer.pk).specialist is None
    empty = client.post(f"/customers/{customer.pk}/contact-records/", {"note": " "}, follow=True)
    assert "CUS-7：请填写沟通记录" in empty.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.post(f"/customers/{customer.pk}/contact-records/", {"note": ""}, follow=True)
    assert "CUS-7: describe the contact" in english.content.decode()
    done = client.post(f"/customers/{customer.pk}/assign/", {"specialist": demo["zhaomin"].pk})
    assert done.status_code == 302 and Customer.objects.get(pk=customer.pk).specialist == demo["zhaomin"]
