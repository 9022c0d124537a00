"""Issue 13 — what the case screens say must be true: an overdue case is never hidden in a queue,
satisfaction is what the customer said, the status page tells what happened, and a deadline on a
fallback calendar says so."""

import re
from datetime import timedelta

import pytest
from django.test import Client

from kefu.cases import actions
from kefu.core import clock
from kefu.engine.workflow.actions import deadlines
from kefu.engine.workflow.api import TimerState
from kefu.engine.workflow.models import Escalation, Timer

pytestmark = pytest.mark.django_db


def login(demo, username) -> Client:
    client = Client()
    client.force_login(demo[username].user)
    return client


def escalated_to_the_top(new_case, demo):
    """A 重大/紧急 complaint owned by 吴静 whose first-response and on-site clocks were missed and
    which the sweep escalated to level 3 (the top of the chain)."""
    case = new_case(kind="complaint", major=True, priority="urgent", title="外墙开裂无人到场")
    assert case.owner == demo["wujing"]
    breached = Timer.objects.filter(object_id=str(case.pk), name__in=("first_response", "onsite"))
    for _ in range(40):
        clock.advance(timedelta(hours=1))
        deadlines.sweep()
        if set(breached.values_list("state", flat=True)) == {TimerState.BREACHED}:
            break
    assert Escalation.objects.filter(object_id=str(case.pk), chain="case", level=3).exists()
    assert set(breached.values_list("state", flat=True)) == {TimerState.BREACHED}
    resolution = Timer.objects.get(object_id=str(case.pk), name="resolution")
    assert resolution.state == TimerState.RUNNING and resolution.due_at > clock.now()
    return case


def test_overdue_hidden_in_the_agents_queue_breached_clocks_first_in_red(new_case, demo):  # SLA-2, ESC-1
    case = escalated_to_the_top(new_case, demo)
    body = login(demo, "wujing").get("/cases/").content.decode()
    row = body.split(f'id="queue-row-{case.pk}"')[1].split("</tr>")[0]
    assert row.startswith(' class="row-overdue" data-alert="breached"')
    clocks = re.findall(r'<span class="clock([^"]*)"[^>]*data-alert="(\w*)"><span class="clock-label">([^<]+)<', row)
    labels = [label for _cls, _alert, label in clocks]
    assert [alert for _cls, alert, _label in clocks][:2] == ["breached", "breached"]
    assert {labels[0], labels[1]} == {"首次响应时限", "重大质量问题到场时限"}
    assert all("clock-overdue" in cls for cls, *_ in clocks[:2])
    assert labels[-1] == "处理完结时限" and "已超时" in row


def test_overdue_hidden_in_the_team_view_lists_show_the_breached_clocks(new_case, demo):  # SLA-2, ROUTE-1
    case = escalated_to_the_top(new_case, demo)
    body = login(demo, "lina").get("/cases/team/").content.decode()
    overdue = body.split('id="team-overdue"')[1].split("</section>")[0]
    row = overdue.split(case.number)[1].split("</tr>")[0]
    assert row.count('data-alert="breached"') == 2 and "首次响应时限" in row


def test_overdue_hidden_in_the_queue_warned_clock_in_amber_first(new_case, demo):  # SLA-2
    case = new_case(title="咨询交房时间")
    first = Timer.objects.get(object_id=str(case.pk), name="first_response")
    clock.freeze(first.warn_at + timedelta(minutes=1))
    deadlines.sweep()
    body = login(demo, case.owner.user.username).get("/cases/").content.decode()
    row = body.split(f'id="queue-row-{case.pk}"')[1].split("</tr>")[0]
    assert row.startswith(' class="row-warned" data-alert="warned"')
    alerts = re.findall(r'data-alert="(\w*)"><span class="clock-label">([^<]+)<', row)
    assert alerts[0] == ("warned", "首次响应时限")
    assert "clock-warned" in row
