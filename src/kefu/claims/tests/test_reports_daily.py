"""Customer-process reports (CLM-11) and the group's daily registration submissions (CLM-12)."""

from datetime import UTC, date, datetime

import pytest

from kefu.claims import actions
from kefu.claims.models import DailySubmission, MissingSubmission, ReportState
from kefu.core import clock, decisions
from kefu.core.errors import Conflict, Invalid, PermissionDenied
from kefu.engine.notifications.models import Notification
from kefu.engine.schedules.models import ScheduleRun
from kefu.engine.workflow.history import history
from kefu.org.models import Unit

pytestmark = pytest.mark.django_db


def test_process_report_flow(demo, act, frozen):  # CLM-11
    huanglei, heping = act("huanglei"), act("heping")
    with pytest.raises(Invalid):
        actions.submit_report(huanglei, customer_name="王女士", contact="", needs="三居室")
    report = actions.submit_report(huanglei, customer_name="王女士", contact="13600001111", needs="三居室")
    with pytest.raises(PermissionDenied):  # only the department supervisor reviews
        actions.review_report(act("linxiao"), report, genuine=True)
    report = actions.review_report(heping, report, genuine=True, note="电话核实")
    assert report.state == ReportState.VERIFIED
    report = actions.assign_report(heping, report, demo["huanglei"])
    assert report.state == ReportState.ASSIGNED and report.assignee == demo["huanglei"]
    report = actions.report_feedback(huanglei, report, "已电话联系，约周六看房")
    report = actions.report_feedback(huanglei, report, "客户需求变更：改为两居室")
    assert report.state == ReportState.FOLLOWING and "两居室" in report.feedback and "看房" in report.feedback
    report = actions.archive_report(heping, report)
    assert report.state == ReportState.ARCHIVED
    assert [h.to_state for h in history(report)] == [
        "verified",
        "assigned",
        "following",
        "following",
        "archived",
    ]


def test_report_found_not_genuine_needs_a_note(demo, act, frozen):  # CLM-11
    report = actions.submit_report(act("huanglei"), customer_name="赵", contact="微信 zhao", needs="咨询")
    with pytest.raises(Invalid):
        actions.review_report(act("heping"), report, genuine=False, note="")
    report = actions.review_report(act("heping"), report, genuine=False, note="电话空号")
    assert report.state == ReportState.REJECTED


def test_daily_submission_is_explicit_and_once_per_day(demo, act, frozen):  # CLM-12
    realty = Unit.objects.get(name="华辰置业有限公司")
    majun = act("majun")
    with pytest.raises(Invalid):
        actions.submit_daily(majun, unit=realty, day=date(2026, 3, 2), customers=[], none_today=False)
    with pytest.raises(Invalid):
        actions.submit_daily(
            majun, unit=realty, day=date(2026, 3, 2), customers=[{"name": "甲"}], none_today=True
        )
    done = actions.submit_daily(
        majun,
        unit=realty,
        day=date(2026, 3, 2),
        customers=[{"name": "甲", "phone": "13812345678"}],
        none_today=False,
    )
    assert done.customers == [{"name": "甲", "phone": "138****5678"}]  # no phone in clear
    with pytest.raises(Conflict):
        actions.submit_daily(majun, unit=realty, day=date(2026, 3, 2), customers=[], none_today=True)
    with pytest.raises(PermissionDenied):
        actions.submit_daily(act("zhaomin"), unit=realty, day=date(2026, 3, 3), customers=[], none_today=True)


def test_missing_days_are_flagged_once_with_a_notification(demo, act, frozen):  # CLM-12
    from kefu.engine.schedules import actions as schedule_actions

    realty = Unit.objects.get(name="华辰置业有限公司")
    actions.submit_daily(act("majun"), unit=realty, day=date(2026, 3, 2), customers=[], none_today=True)
    clock.freeze(datetime(2026, 3, 3, 1, 0, tzinfo=UTC))  # Tuesday 09:00 Shanghai: checks Monday
    schedule_actions.sweep()
    assert ScheduleRun.objects.filter(schedule="claims.daily_submissions", period_key="2026-03-03").exists()
    gaps = MissingSubmission.objects.filter(day=date(2026, 3, 2))
    assert realty.pk not in {g.unit_id for g in gaps}  # submitted "no new customers": not missing
    assert gaps.exists()  # the other subsidiaries did not submit
    assert decisions.for_object(gaps.first()).get().rule == "CLM-12"
    before = MissingSubmission.objects.count()
    assert (
        actions.flag_missing(
            ScheduleRun.objects.get(schedule="claims.daily_submissions", period_key="2026-03-03")
        )
        == 0
    )
    assert MissingSubmission.objects.count() == before
    assert DailySubmission.objects.count() == 1
    clock.freeze(datetime(2026, 3, 4, 1, 0, tzinfo=UTC))  # Wednesday: 华辰置业 sent nothing for Tuesday
    schedule_actions.sweep()
    assert MissingSubmission.objects.filter(unit=realty, day=date(2026, 3, 3)).exists()
    told = Notification.objects.filter(template="claims.daily_missing", recipient=demo["majun"].user)
    assert told.count() == 1 and "华辰置业" in told.get().subject


def test_previous_working_day_skips_weekends_and_holidays(db):  # CLM-12
    assert actions.previous_working_day(date(2026, 3, 9)) == date(2026, 3, 6)  # Monday → Friday
    assert actions.previous_working_day(date(2026, 3, 2)) == date(2026, 2, 28)  # 调休 make-up Saturday
    assert actions.previous_working_day(date(2025, 10, 9)) == date(2025, 9, 30)  # after Golden Week
