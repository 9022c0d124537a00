"""ATT-1 每日例会 ("准时开会。时间:8:00-8:30"): the window comes from the pack (attendance.daily_meeting_start
/ _end); a late start or an overrun is recorded in minutes with a decision record; one meeting per team
and day. The clock is frozen at Monday 2026-03-02 10:00 (Shanghai)."""

from datetime import time, timedelta

import pytest

from kefu.core import clock
from kefu.core.decisions import for_object
from kefu.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from kefu.core.models import AuditEvent
from kefu.engine.policy import actions as policy_actions
from kefu.engine.policy.api import subsidiary_of
from kefu.workforce.actions import attendance as actions
from kefu.workforce.queries import attendance as queries

pytestmark = pytest.mark.django_db


def _hold(act, demo, starts, ends, who="wangfang", day=None, topics="解决前一天的问题；安排今天的工作"):
    unit = demo["zhaomin"].unit
    return actions.record_meeting(
        act(who), unit, day=day or clock.today(), starts=starts, ends=ends, topics=topics
    )


def test_att1_meeting_on_time_within_the_pack_window(demo, act, frozen):  # ATT-1
    meeting = _hold(act, demo, time(8, 0), time(8, 30))
    assert meeting.on_time and (meeting.late_minutes, meeting.over_minutes) == (0, 0)
    decision = [d for d in for_object(meeting) if d.rule == "ATT-1"][-1]
    assert decision.outcome == "例会 08:00–08:30：按时召开（规定 08:00–08:30）"
    assert "8:00-8:30" in decision.clause
    assert decision.inputs["attendance.daily_meeting_end"] == "08:30"
    assert AuditEvent.objects.filter(action="workforce.attendance.meeting").count() == 1


def test_att1_late_start_and_overrun_are_recorded(demo, act, frozen):  # ATT-1
    meeting = _hold(act, demo, time(8, 10), time(8, 45))
    assert (meeting.late_minutes, meeting.over_minutes) == (10, 15) and not meeting.on_time
    decision = [d for d in for_object(meeting) if d.rule == "ATT-1"][-1]
    assert decision.outcome == "例会 08:10–08:45：晚开始 10 分钟，超时 15 分钟（规定 08:00–08:30）"


def test_att1_window_follows_a_subsidiary_override(demo, act, admin_actor, frozen):  # ATT-1
    unit = subsidiary_of(demo["zhaomin"].unit)
    policy_actions.set_override(
        admin_actor, unit, "attendance.daily_meeting_start", 750, clock.today(), reason="测试"
    )
    clock.advance(timedelta(days=1))  # the next morning's meeting, under the override
    meeting = _hold(act, demo, time(8, 0), time(8, 30))
    assert meeting.late_minutes == 10  # the subsidiary meets at 07:50


def test_att1_one_meeting_a_day_and_the_form_is_checked(demo, act, frozen):  # ATT-1
    _hold(act, demo, time(8, 0), time(8, 30))
    with pytest.raises(Conflict):
        _hold(act, demo, time(8, 0), time(8, 25))
    with pytest.raises(Invalid) as refused:
        _hold(act, demo, time(8, 0), time(8, 30), day=clock.today() - timedelta(days=1), topics=" ")
    assert refused.value.code == "attendance_meeting_topics"
    with pytest.raises(Invalid) as refused:
        _hold(act, demo, time(8, 30), time(8, 0), day=clock.today() - timedelta(days=1))
    assert refused.value.code == "attendance_meeting_times"
    with pytest.raises(Invalid) as refused:
        _hold(act, demo, time(8, 0), time(8, 30), day=clock.today() + timedelta(days=1))
    assert refused.value.code == "attendance_meeting_future"
    with pytest.raises(PermissionDenied):
        _hold(act, demo, time(8, 0), time(8, 30), who="zhaomin", day=clock.today() - timedelta(days=2))
    with pytest.raises(NotFound):  # 水务's team: outside 王芳's scope
        actions.record_meeting(
            act("wangfang"),
            demo["lvxin"].unit,
            day=clock.today(),
            starts=time(8),
            ends=time(8, 30),
            topics="x",
        )


def test_att1_meeting_on_the_team_page(demo, client, frozen):  # ATT-1
    unit = demo["zhaomin"].unit_id
    client.force_login(demo["wangfang"].user)
    page = client.get(f"/attendance/teams/{unit}/")
    assert page.status_code == 200 and "meeting-form" in page.content.decode()
    done = client.post(
        f"/attendance/teams/{unit}/meeting/",
        {"day": "2026-03-02", "starts": "08:05", "ends": "08:30", "topics": "培训：新话术"},
        follow=True,
    )
    body = done.content.decode()
    assert "晚开始 5 分钟" in body and "培训：新话术" in body
    assert queries.meetings(demo["zhaomin"].unit, since=clock.today()).count() == 1
    bad = client.post(f"/attendance/teams/{unit}/meeting/", {"day": "2026-03-01"}, follow=True)
    assert bad.status_code == 200 and "请" in bad.content.decode()
