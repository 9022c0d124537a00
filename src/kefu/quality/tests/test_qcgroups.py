"""QC groups (QC-1): the topic registered with 综合部 before any activity; at least the pack's number of
activities a month; never inactive beyond the pack's limit without an explanation — flagged once,
the leader and the leader's manager told, cleared by the leader's explanation (audited)."""

from datetime import date, datetime, time

import pytest
from django.test import Client

from kefu.cases.tests.test_api_cases import bearer
from kefu.core import clock
from kefu.core.errors import Invalid, NotFound, PermissionDenied
from kefu.core.models import AuditEvent, Decision
from kefu.engine.notifications.models import Notification
from kefu.engine.schedules.registry import SCHEDULES
from kefu.org.access import actor_for
from kefu.org.models import Unit
from kefu.quality.actions import qcgroups as actions
from kefu.quality.models import FlagKind, QcFlag, Registration
from kefu.quality.queries import qcgroups as queries

pytestmark = pytest.mark.django_db


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=clock.zone())


@pytest.fixture
def act(demo):
    return lambda username: actor_for(demo[username].user, origin="test")


@pytest.fixture
def formed(demo, act, frozen):
    """formed(registered=True, on=date) → 王芳's group led by 李娜 (赵敏, 孙丽), registered by 马军."""

    def make(registered=True, on=date(2026, 1, 20)):
        with clock.frozen_at(_at(on)):
            group = actions.create_group(
                act("wangfang"),
                name="服务之星",
                unit=Unit.objects.get(code="realty-cs"),
                leader=demo["lina"],
                members=[demo["zhaomin"], demo["sunli"]],
                topic="降低重复来电率",
            )
            if registered:
                actions.request_registration(act("lina"), group)
                group = actions.register_topic(act("majun"), group)
        return group

    return make


def _activity(act, group, day):
    with clock.frozen_at(_at(day, 16)):
        return actions.record_activity(
            act("lina"), group, day=day, kind="meeting", stage="do", minutes="讨论对策", result="定稿"
        )


def test_qc1_topic_registered_with_the_general_office_before_any_activity(formed, act, demo):  # QC-1
    group = formed(registered=False)
    with pytest.raises(Invalid) as refused:
        _activity(act, group, date(2026, 2, 10))
    assert refused.value.code == "qc_not_registered" and "综合部" in refused.value.message
    with pytest.raises(PermissionDenied):  # a member is not the leader
        actions.request_registration(act("zhaomin"), group)
    with pytest.raises(PermissionDenied):  # the leader cannot register her own topic
        actions.register_topic(act("lina"), group)
    group = actions.request_registration(act("lina"), group)
    assert group.registration == Registration.REQUESTED
    with pytest.raises(PermissionDenied):  # water's 客服经理 is not realty's 综合部
        actions.register_topic(act("gaofeng"), group)
    group = actions.register_topic(act("majun"), group)
    assert group.registration == Registration.REGISTERED and group.registration_number.startswith("QC2026-")
    assert AuditEvent.objects.filter(action="quality.qcgroup.register", object_id=str(group.pk)).exists()
    activity = _activity(act, group, date(2026, 2, 10))
    assert activity.group_id == group.pk


def test_qc1_out_of_scope_group_answers_404(formed, act):  # QC-1 ORG-3
    group = formed()
    assert queries.group(act("zhaomin"), group.pk).pk == group.pk  # a member sees her group
    assert queries.group(act("majun"), group.pk).pk == group.pk  # 综合部 sees what it registers
    with pytest.raises(NotFound):
        queries.group(act("gaofeng"), group.pk)
    with pytest.raises(NotFound):
        queries.group(act("lvxin"), group.pk)
    assert list(queries.groups(act("gaofeng"))) == []


def test_qc1_monthly_minimum_flags_a_month_without_activity_once(formed, act, demo):  # QC-1
    group = formed()
    _activity(act, group, date(2026, 1, 25))  # January: registered on the 20th, not checked
    assert actions.check_month(2026, 1) == 0  # registered after the month began
    assert actions.check_month(2026, 2) == 1  # February: none
    assert actions.check_month(2026, 2) == 0  # once
    flag = QcFlag.objects.get(group=group)
    assert (flag.kind, flag.period) == (FlagKind.MONTHLY, "2026-02")
    decision = Decision.objects.get(rule="QC-1", object_id=str(flag.pk))
    assert "小组活动每月应不少于一次" in decision.clause and "少于每月 1 次" in decision.outcome
    told = set(
        Notification.objects.filter(template="quality.qc_flagged").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"lina", "wangfang"}  # the leader and her manager
    _activity(act, group, date(2026, 3, 1))
    assert actions.check_month(2026, 3) == 0  # March had its activity


def test_qc1_six_months_inactive_flagged_then_cleared_by_the_leaders_explanation(formed, act):  # QC-1
    group = formed(on=date(2025, 6, 20))
    _activity(act, group, date(2025, 8, 20))
    assert actions.check_inactive(now=_at(date(2026, 2, 19))) == 0  # not yet six months
    assert actions.check_inactive(now=_at(date(2026, 2, 20))) == 1
    assert actions.check_inactive(now=_at(date(2026, 3, 1))) == 0  # once per stretch
    flag = QcFlag.objects.get(group=group, kind=FlagKind.INACTIVE)
    assert flag.period == "2025-08-20" and flag.explained_at is None
    decision = Decision.objects.get(rule="QC-1", object_id=str(flag.pk))
    assert "停止活动不得超过半年" in decision.clause
    with pytest.raises(PermissionDenied):  # only the leader explains
        actions.explain(act("wangfang"), flag, "人员调整")
    with pytest.raises(Invalid):
        actions.explain(act("lina"), flag, "  ")
    flag = actions.explain(act("lina"), flag, "组员轮岗培训，十二月恢复活动")
    assert flag.explained_at is not None and flag.explanation.startswith("组员轮岗")
    assert AuditEvent.objects.filter(action="quality.qcgroup.explain", object_id=str(flag.pk)).exists()
    assert queries.groups(act("lina")).get(pk=group.pk).open_flags == 0
    with pytest.raises(Invalid):  # explained once
        actions.explain(act("lina"), flag, "再说明")


def test_qc1_monthly_schedule_is_registered_and_idempotent(formed, act):  # QC-1
    assert SCHEDULES["quality.qc_check"].run == "kefu.quality.actions.qcgroups.monthly"
    formed()
    first = actions.monthly()  # on 2 March 2026: February had no activity
    assert first == 1 and actions.monthly() == 0


def test_qc1_api_activity_write_and_statement_guard(formed, demo, django_assert_max_num_queries):  # QC-1
    group = formed()
    client, auth = Client(), bearer(demo["lina"].user)
    body = {
        "day": "2026-03-01",
        "kind": "review",
        "stage": "check",
        "minutes": "效果检查",
        "attendee_ids": [demo["zhaomin"].pk],
    }
    with django_assert_max_num_queries(22):
        answer = client.post(
            f"/api/v1/quality/qcgroups/{group.pk}/activities", body, content_type="application/json", **auth
        )
    assert answer.status_code == 201, answer.content
    assert answer.json()["attendee_ids"] == [demo["zhaomin"].pk]
    detail = client.get(f"/api/v1/quality/qcgroups/{group.pk}", **auth).json()
    assert detail["registration"] == "registered" and detail["stage"] == "check"
    water = bearer(demo["gaofeng"].user)
    assert client.get(f"/api/v1/quality/qcgroups/{group.pk}", **water).status_code == 404
    refused = client.post(
        f"/api/v1/quality/qcgroups/{group.pk}/activities", body, content_type="application/json", **water
    )
    assert refused.status_code == 404
    outsider = dict(body, attendee_ids=[demo["lvxin"].pk])
    answer = client.post(
        f"/api/v1/quality/qcgroups/{group.pk}/activities", outsider, content_type="application/json", **auth
    )
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "qc_attendee"


def test_qc1_pages(formed, demo, client):  # QC-1
    group = formed()
    actions.check_month(2026, 2)
    client.force_login(demo["lina"].user)
    listing = client.get("/quality/qcgroups/")
    assert listing.status_code == 200 and "服务之星" in listing.content.decode()
    page = client.get(f"/quality/qcgroups/{group.pk}/")
    text = page.content.decode()
    assert page.status_code == 200 and "提交原因说明" in text and "已注册登记" in text
    flag = QcFlag.objects.get(group=group)
    answer = client.post(
        f"/quality/qcgroups/{group.pk}/", {"what": "explain", "flag": flag.pk, "explanation": "春节假期"}
    )
    assert answer.status_code == 302
    flag.refresh_from_db()
    assert flag.explanation == "春节假期"
    client.force_login(demo["gaofeng"].user)
    assert client.get(f"/quality/qcgroups/{group.pk}/").status_code == 404
