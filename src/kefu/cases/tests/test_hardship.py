"""HRD-1 逾期报备: the report's fields, the contact window and the address-book rule on every outbound
call, the recorded call (sniffed, sealed, each listen audited), the reminder cadence from the pack,
scope, API and pages."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test import Client

from kefu.cases.actions import hardship as actions
from kefu.cases.actions.intake import create_case
from kefu.cases.models import (
    CallOutcome,
    CallTarget,
    Case,
    HardshipReminder,
    HardshipReport,
    ReminderKind,
)
from kefu.cases.queries import hardship as queries
from kefu.cases.queries.intake import kinds_for, kinds_for_new
from kefu.cases.tests.test_api_cases import bearer
from kefu.core import clock
from kefu.core.errors import Invalid, NotFound
from kefu.core.models import AuditEvent, Decision
from kefu.engine.notifications.models import Notification
from kefu.engine.policy.api import lookup

WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 64
PHONE = "13512349876"
EMERGENCY = "13900007777"


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    return tmp_path


def _wav(name="通话录音.wav", content=WAV):
    return SimpleUploadedFile(name, content, content_type="audio/wav")


@pytest.fixture
def report(demo, act, groups, frozen, media):
    """A report taken by 赵敏 on Monday 2026-03-02 10:00: overdue Thursday 03-05, calls 12:00–14:00."""

    def make(**fields):
        values = {
            "unit": demo["zhaomin"].unit,
            "phone": PHONE,
            "name": "钱先生",
            "overdue_on": date(2026, 3, 5),
            "hardship": "失业三个月，暂时无力还款",
            "willingness": "willing_unable",
            "window_start": "12:00",
            "window_end": "14:00",
            "emergency_name": "钱太太",
            "emergency_phone": EMERGENCY,
        }
        values.update(fields)
        return actions.create_report(act("zhaomin"), **values)

    return make


@pytest.mark.django_db
def test_hrd1_report_records_the_seed_fields_as_a_case_kind(report, demo):  # HRD-1
    made = report()
    case = made.case
    assert case.kind.code == "hardship" and case.kind.name == "逾期报备"
    assert made.agent == demo["zhaomin"] and made.reported_on == date(2026, 3, 2)
    assert made.willingness == "willing_unable" and actions.window_text(
        made.window_start, made.window_end
    ) == ("12:00–14:00")
    # the emergency contact only in encrypted fields: not in the table in clear, not in the audit row
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT emergency_name, emergency_phone FROM cases_hardshipreport WHERE id = %s", [made.pk]
        )
        stored = " ".join(cursor.fetchone())
    assert EMERGENCY not in stored and "钱太太" not in stored
    assert HardshipReport.objects.get(pk=made.pk).emergency_phone == EMERGENCY
    event = AuditEvent.objects.get(action="cases.hardship.report", object_id=str(case.pk))
    assert EMERGENCY not in str(event.after) and event.after["emergency_contact"].startswith("fp:")


@pytest.mark.django_db
def test_hrd1_window_must_start_before_it_ends(report):  # HRD-1
    with pytest.raises(Invalid) as refused:
        report(window_start="14:00", window_end="12:00")
    assert refused.value.code == "hardship_window_order" and "开始时间须早于结束时间" in refused.value.zh
    with pytest.raises(Invalid):
        report(window_start="12:00", window_end="12:00")
    with pytest.raises(Invalid) as half:
        report(emergency_phone="")
    assert half.value.code == "hardship_emergency_incomplete"
    made = report()
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses it as well
        HardshipReport.objects.filter(pk=made.pk).update(window_start="15:00")


@pytest.mark.django_db
def test_hrd1_call_outside_the_window_is_refused_with_the_clause(report, act):  # HRD-1
    made = report()
    owner = act(made.case.owner.user.username)
    with pytest.raises(Invalid) as refused:  # Monday 10:00: before the window opens
        actions.log_call(owner, made, target=CallTarget.CUSTOMER, outcome=CallOutcome.REACHED)
    assert refused.value.code == "HRD-1.contact_window"
    assert "12:00–14:00" in refused.value.zh and actions.WINDOW_CLAUSE in refused.value.zh
    clock.advance(timedelta(hours=2, minutes=30))  # 12:30
    call = actions.log_call(owner, made, target=CallTarget.CUSTOMER, outcome=CallOutcome.REACHED, phone=PHONE)
    assert call.pk and AuditEvent.objects.filter(action="cases.hardship.call").count() == 1
    clock.advance(timedelta(hours=2))  # 14:30: closed again
    with pytest.raises(Invalid):
        actions.log_call(owner, made, target=CallTarget.CUSTOMER, outcome=CallOutcome.REACHED)


@pytest.mark.django_db
def test_hrd1_no_contact_of_the_address_book(report, act):  # HRD-1
    made = report()
    owner = act(made.case.owner.user.username)
    clock.advance(timedelta(hours=2, minutes=30))  # inside the window
    for target, phone in ((CallTarget.OTHER, ""), (CallTarget.CUSTOMER, "13800001234")):
        with pytest.raises(Invalid) as refused:
            actions.log_call(owner, made, target=target, outcome=CallOutcome.REACHED, phone=phone)
        assert refused.value.code == "HRD-1.address_book"
        assert "不要爆通讯录" in refused.value.zh
    with pytest.raises(Invalid) as early:  # the emergency contact only once the customer was not reached
        actions.log_call(owner, made, target=CallTarget.EMERGENCY, outcome=CallOutcome.REACHED)
    assert early.value.code == "HRD-1.emergency_first"
    actions.log_call(owner, made, target=CallTarget.CUSTOMER, outcome=CallOutcome.UNREACHABLE)
    with pytest.raises(Invalid) as wrong:  # a number that is not the declared emergency contact
        actions.log_call(owner, made, target=CallTarget.EMERGENCY, outcome=CallOutcome.REACHED, phone=PHONE)
    assert wrong.value.code == "HRD-1.address_book"
    call = actions.log_call(
        owner, made, target=CallTarget.EMERGENCY, outcome=CallOutcome.REACHED, phone=f"+86 {EMERGENCY}"
    )
    assert call.target == CallTarget.EMERGENCY
    bare = report(emergency_name="", emergency_phone="", phone="13512340002")
    owner = act(bare.case.owner.user.username)
    actions.log_call(owner, bare, target=CallTarget.CUSTOMER, outcome=CallOutcome.UNREACHABLE)
    with pytest.raises(Invalid) as none:  # no emergency contact declared: nobody else
        actions.log_call(owner, bare, target=CallTarget.EMERGENCY, outcome=CallOutcome.REACHED)
    assert none.value.code == "HRD-1.address_book"


@pytest.mark.django_db
def test_hrd1_recording_is_sniffed_sealed_and_every_listen_audited(report, act, demo, media):  # HRD-1
    made = report(recording=_wav("报备通话.wav"))
    assert made.recording.content_type == "audio/wav"
    assert WAV not in (media / made.recording.file.name).read_bytes()  # sealed at rest
    owner = act(made.case.owner.user.username)
    clock.advance(timedelta(hours=2, minutes=30))
    with pytest.raises(Invalid) as not_audio:
        actions.log_call(
            owner,
            made,
            target=CallTarget.CUSTOMER,
            outcome=CallOutcome.REACHED,
            recording=SimpleUploadedFile("a.pdf", b"%PDF-1.7\n", "application/pdf"),
        )
    assert not_audio.value.code == "hardship_recording_type"
    with pytest.raises(Invalid) as faked:
        actions.log_call(
            owner,
            made,
            target=CallTarget.CUSTOMER,
            outcome=CallOutcome.REACHED,
            recording=_wav(content=b"<html>"),
        )
    assert faked.value.code == "case_attachment_content"
    call = actions.log_call(
        owner, made, target=CallTarget.CUSTOMER, outcome=CallOutcome.REACHED, recording=_wav()
    )
    client = Client()
    client.force_login(made.case.owner.user)
    for _ in range(2):
        answer = client.get(f"/cases/{made.case_id}/hardship/recordings/{call.recording_id}/")
        assert answer.status_code == 200 and b"".join(answer.streaming_content) == WAV
    reads = AuditEvent.objects.filter(object_id=str(made.case_id), action__contains="read")
    assert reads.filter(after__fields=[f"attachment:{call.recording_id}"]).count() == 2 or reads.count() >= 2
    outsider = Client()
    outsider.force_login(demo["lvxin"].user)  # the water company: not their case
    assert outsider.get(f"/cases/{made.case_id}/hardship/recordings/{call.recording_id}/").status_code == 404


@pytest.mark.django_db
def test_hrd1_reminders_before_overdue_then_monthly_each_once(report, demo):  # HRD-1
    made = report()
    before = lookup(actions.BEFORE_KEY).value
    reminders = list(made.reminders.order_by("due_at"))
    first = reminders[0]
    assert first.kind == ReminderKind.BEFORE_OVERDUE
    assert clock.local(first.due_at).date() == date(2026, 3, 5) - timedelta(days=int(before))
    assert clock.local(first.due_at).strftime("%H:%M") == "12:00"  # the window's opening
    assert reminders[1].kind == ReminderKind.MONTHLY and clock.local(reminders[1].due_at).date() == date(
        2026, 3, 16
    )
    assert Decision.objects.filter(rule="HRD-1").count() == 2
    owner = made.case.owner
    assert actions.remind() == 0  # Monday: nothing due yet
    clock.freeze(clock.now() + timedelta(days=1))  # Tuesday 10:00, the day of the call
    assert actions.remind() == 1 and actions.remind() == 0
    told = Notification.objects.filter(recipient=owner.user, template="cases.hardship_reminder")
    assert told.count() == 1 and "12:00–14:00" in told.get().subject
    clock.freeze(clock.now() + timedelta(days=14))  # 03-17: the monthly call of the 16th
    assert actions.remind() == 1 and actions.remind() == 0
    assert told.count() == 2
    nxt = made.reminders.filter(sent_at__isnull=True).get()
    assert nxt.kind == ReminderKind.MONTHLY and clock.local(nxt.due_at).date() == date(2026, 4, 1)


@pytest.mark.django_db
def test_hrd1_monthly_slots_follow_the_pack(report):  # HRD-1
    assert actions.monthly_slots(date(2026, 3, 5), 2) == date(2026, 3, 16)
    assert actions.monthly_slots(date(2026, 3, 16), 2) == date(2026, 4, 1)
    assert actions.monthly_slots(date(2026, 3, 5), 1) == date(2026, 4, 1)
    assert int(lookup(actions.PER_MONTH_KEY).value) == 2


@pytest.mark.django_db
def test_hrd1_reads_and_writes_in_scope(report, act, demo):  # HRD-1 ORG-3
    made = report()
    outsider = act("lvxin")
    with pytest.raises(NotFound):
        queries.report(outsider, made.case_id)
    clock.advance(timedelta(hours=2, minutes=30))
    with pytest.raises(NotFound):
        actions.log_call(outsider, made, target=CallTarget.CUSTOMER, outcome=CallOutcome.REACHED)
    assert made.case_id not in [r.case_id for r in queries.reports(outsider)]
    assert made.case_id in [r.case_id for r in queries.reports(act(made.case.owner.user.username))]


@pytest.mark.django_db
def test_hrd1_api_create_read_and_refused_call(demo, groups, frozen, media):  # HRD-1
    client = Client()
    auth = bearer(demo["zhaomin"].user)
    body = {
        "phone": PHONE,
        "overdue_on": "2026-03-05",
        "hardship": "生意周转困难",
        "willingness": "plan",
        "window_start": "12:00",
        "window_end": "14:00",
    }
    bad = client.post(
        "/api/v1/cases/hardship", {**body, "window_end": "11:00"}, content_type="application/json", **auth
    )
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "hardship_window_order"
    made = client.post("/api/v1/cases/hardship", body, content_type="application/json", **auth)
    assert made.status_code == 201, made.content
    data = made.json()
    assert data["agent_number"] == demo["zhaomin"].number and data["emergency_contact_changed"] is False
    case_id = data["case_id"]
    owner = bearer(Case.objects.get(pk=case_id).owner.user)
    assert client.get(f"/api/v1/cases/{case_id}/hardship", **owner).json()["window_start"].startswith("12:00")
    refused = client.post(
        f"/api/v1/cases/{case_id}/hardship/calls", {"target": "customer", "outcome": "reached"}, **owner
    )
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "HRD-1.contact_window"
    clock.advance(timedelta(hours=3))  # 13:00
    logged = client.post(
        f"/api/v1/cases/{case_id}/hardship/calls",
        {"target": "customer", "outcome": "reached", "recording": _wav()},
        **owner,
    )
    assert logged.status_code == 201, logged.content
    recording = logged.json()["recording_id"]
    assert recording is not None
    heard = client.get(f"/api/v1/cases/{case_id}/hardship/recordings/{recording}", **owner)
    assert heard.status_code == 200 and heard["Content-Type"] == "audio/wav", heard.content
    water = bearer(demo["lvxin"].user)
    assert client.get(f"/api/v1/cases/{case_id}/hardship", **water).status_code == 404
    listed = client.get("/api/v1/cases/hardship", **owner).json()
    assert [r["case_id"] for r in listed["items"]] == [case_id]
    assert HardshipReminder.objects.filter(report__case_id=case_id).count() == 2


@pytest.mark.django_db
def test_hrd1_pages_record_refuse_and_log(demo, groups, frozen, media):  # HRD-1
    clock.freeze(frozen + timedelta(hours=2, minutes=30))  # Monday 12:30, inside the window
    client = Client()
    client.force_login(demo["zhaomin"].user)
    page = client.get("/cases/hardship/")
    assert page.status_code == 200 and "记录逾期报备" in page.content.decode()
    form = {
        "phone": PHONE,
        "name": "钱先生",
        "overdue_on": "2026-03-05",
        "hardship": "失业",
        "willingness": "willing_unable",
        "window_start": "12:00",
        "window_end": "14:00",
    }
    wrong = client.post("/cases/hardship/new/", {**form, "window_end": "09:00"})
    assert wrong.status_code == 400 and "开始时间须早于结束时间" in wrong.content.decode()
    done = client.post("/cases/hardship/new/", form)
    assert done.status_code == 302, done.content.decode()[:2000]
    report = HardshipReport.objects.get()
    owner = Client()
    owner.force_login(report.case.owner.user)
    shown = owner.get(done["Location"]).content.decode()
    assert "12:00–14:00" in shown and demo["zhaomin"].number in shown
    refused = owner.post(
        f"/cases/{report.case_id}/hardship/calls/",
        {"target": "customer", "outcome": "reached", "at": "2026-03-02T09:30"},
    )
    assert refused.status_code == 400 and actions.WINDOW_CLAUSE in refused.content.decode()
    logged = owner.post(
        f"/cases/{report.case_id}/hardship/calls/",
        {"target": "customer", "outcome": "reached", "at": "2026-03-02T09:30", "recording": _wav()},
    )
    assert logged.status_code == 400
    ok = owner.post(
        f"/cases/{report.case_id}/hardship/calls/",
        {"target": "customer", "outcome": "reached", "at": "2026-03-02T12:15", "recording": _wav()},
    )
    assert ok.status_code == 302 and ok["Location"] == f"/cases/{report.case_id}/hardship/"
    assert "<audio" in owner.get(f"/cases/{report.case_id}/hardship/").content.decode()


@pytest.mark.django_db
def test_hrd1_the_general_form_does_not_take_the_kind(demo, act, groups, frozen):  # HRD-1
    """A 逾期报备 without its report would be a case whose report page answers 404: only its own form."""
    unit = demo["zhaomin"].unit
    with pytest.raises(Invalid) as refused:
        create_case(act("zhaomin"), unit=unit, kind="hardship", channel="phone", title="逾期", contact={})
    assert refused.value.code == "case_kind_own_form" and "逾期报备" in refused.value.zh
    assert "hardship" in {k.code for k in kinds_for(unit)}
    assert "hardship" not in {k.code for k in kinds_for_new(unit)}
