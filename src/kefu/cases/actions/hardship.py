"""HRD-1 逾期报备: a customer about to fall overdue reports their hardship; the case records it, and
every later outbound call on it keeps to what the customer asked for.

The seed (【000 · 超期未处理报备话术】) lists what the report call holds: "1;跟客服确定工号 2;跟客服确定
今天来电的年月日 3;跟客服说明你面临困难 … 4;跟客户表达你有还款意愿,只是目前没有还款能力 5;跟客服报备你能
接电话的时间,比如中午12:00-14:00 6;让客服更改你的紧急联系人 7;告诉客服在联系不上本人的情况下,可以联系你的
紧急联系人,但是不要爆通讯录 … 8;告诉客服今天的通话你已经录音".

- A report is a case of the shipped kind `hardship` (逾期报备), received through the case intake, so
  numbering, routing, SLA clocks, scope and audit are the cases app's own.
- Calls (`log_call`) are refused outside the reported window — read by the outbound gateway's window
  machinery (`engine.outbound.windows`, as FUP-2) — and refused to anyone but the customer's own number
  or, once the customer could not be reached, the emergency contact declared on the report
  (docs/decisions.md, HRD-1).
- Reminders to the assigned agent follow the seed's cadence: `hardship.call_days_before_overdue` days
  before the overdue date, then `hardship.calls_per_month` calls a month, each at the opening of the
  window; the daily schedule `cases.hardship_reminders` sends each one once (a conditional UPDATE claims
  it; a unique key refuses a second row for the same moment).
- The emergency contact is personal data: only in encrypted fields, fingerprinted in audit rows.
- Recordings are case attachments (type sniffed from the bytes, size limit from policy, sealed) and
  must be audio; every listen is audited.
"""

import calendar
from datetime import date, datetime, time, timedelta
from pathlib import PurePosixPath

from django.db import transaction
from django.urls import reverse

from kefu.cases.actions import attachments
from kefu.cases.actions.intake import create_case
from kefu.cases.models import (
    OPEN_STATES,
    CallOutcome,
    CallTarget,
    HardshipCall,
    HardshipReminder,
    HardshipReport,
    ReminderKind,
    Willingness,
)
from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.crypto import blind_index, fingerprint, normalise_phone
from kefu.core.errors import Conflict, Invalid, NotFound
from kefu.engine.notifications.api import notify
from kefu.engine.outbound import windows
from kefu.engine.policy import api as policy
from kefu.engine.schedules.registry import Schedule, register
from kefu.org import access

KIND = "hardship"
HANDLE = "case.handle"
BEFORE_KEY = "hardship.call_days_before_overdue"
PER_MONTH_KEY = "hardship.calls_per_month"
SEED = "【000 · 超期未处理报备话术】"
WINDOW_CLAUSE = "跟客服报备你能接电话的时间,比如中午12:00-14:00"
ADDRESS_BOOK_CLAUSE = "告诉客服在联系不上本人的情况下,可以联系你的紧急联系人,但是不要爆通讯录"
HARDSHIP_MAX = 2000
NOTE_MAX = 2000
NAME_MAX = 50

decisions.describe(
    inputs={
        "overdue_on": ("逾期日", "overdue date"),
        "contact_window": ("可接电话时段", "contact window"),
        "reminder_at": ("提醒时间", "reminder time"),
    },
    values={
        "willingness": Willingness.choices,
        "call_target": CallTarget.choices,
        "call_outcome": CallOutcome.choices,
    },
)


def window_text(start: time, end: time) -> str:
    """The window as the outbound gateway reads it (engine.outbound.windows): "12:00–14:00"."""
    return f"{start:%H:%M}–{end:%H:%M}"


def day_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def moment_text(at: datetime) -> str:
    local = clock.local(at)
    return f"{day_text(local.date())} {local:%H:%M}"


def _time(value, field: str, label: str) -> time:
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    try:
        return time.fromisoformat(str(value or "").strip())
    except ValueError:
        raise Invalid(
            "hardship_time",
            f"请按“12:00”的格式填写{label}",
            f"Write the {field.replace('_', ' ')} as 12:00",
            {field: "invalid"},
        ) from None


def _date(value, field: str, label: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise Invalid(
            "hardship_date", f"请填写{label}", f"Give the {field.replace('_', ' ')}", {field: "invalid"}
        ) from None


def _text(value, field: str, label: str, *, limit: int, required: bool = False) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise Invalid("hardship_required", f"请填写{label}", f"{field} is required", {field: "required"})
    if len(text) > limit:
        raise Invalid(
            "hardship_too_long",
            f"{label}不能超过 {limit} 个字",
            f"{field} is longer than {limit} characters",
            {field: "too_long"},
        )
    return text


def check_window(start: time, end: time) -> None:
    """HRD-1: the window the customer takes calls in starts before it ends (one range within a day)."""
    if not start < end:
        raise Invalid(
            "hardship_window_order",
            "可接电话时段的开始时间须早于结束时间",
            "The contact window must start before it ends",
            {"window_end": "before_start"},
        )


def _audio_name(upload) -> None:
    """A recording is an audio file of the attachment whitelist (its bytes are checked on attach)."""
    extension = PurePosixPath(str(upload.name or "")).suffix.lower().lstrip(".")
    allowed = attachments.ALLOWED.get(extension)
    if allowed is None or not allowed[0].startswith("audio/"):
        kinds = "、".join(
            sorted(e for e, (mime, _) in attachments.ALLOWED.items() if mime.startswith("audio/"))
        )
        raise Invalid(
            "hardship_recording_type",
            f"通话录音须为音频文件（{kinds}）",
            f"The recording must be an audio file ({kinds})",
            {"recording": "type"},
        )


def _recording(actor: Actor, case, upload):
    if upload is None:
        return None
    _audio_name(upload)
    return attachments.attach(actor, case, upload)


def create_report(
    actor: Actor,
    *,
    unit,
    phone: str,
    name: str = "",
    overdue_on,
    hardship: str,
    willingness: str,
    window_start,
    window_end,
    emergency_name: str = "",
    emergency_phone: str = "",
    recording=None,
    channel: str = "phone",
) -> HardshipReport:
    """Record a 逾期报备 (HRD-1) taken by the acting agent (their 工号) today: a case of kind 逾期报备
    with its report, the reminders planned, the recording of the report call kept if given."""
    agent = access.employee_of(actor.user)
    if agent is None:
        raise Invalid(
            "hardship_no_employee", "只有员工可以记录逾期报备", "Only staff record hardship reports"
        )
    phone = _text(phone, "phone", "客户电话", limit=30, required=True)
    if len(normalise_phone(phone)) < 7:
        raise Invalid(
            "hardship_phone", "请填写正确的客户电话", "Give the customer's phone", {"phone": "invalid"}
        )
    name = _text(name, "name", "客户姓名", limit=NAME_MAX)
    overdue_on = _date(overdue_on, "overdue_on", "逾期日")
    today = clock.today()
    if overdue_on < today:
        raise Invalid(
            "hardship_overdue_past",
            "逾期日不能早于今天（逾期报备在逾期前拨打）",
            "The overdue date cannot be in the past",
            {"overdue_on": "past"},
        )
    hardship = _text(hardship, "hardship", "客户面临的困难", limit=HARDSHIP_MAX, required=True)
    if willingness not in Willingness.values:
        raise Invalid(
            "hardship_willingness",
            "请选择还款意愿",
            "Choose the willingness to pay",
            {"willingness": "invalid"},
        )
    start = _time(window_start, "window_start", "可接电话时段的开始时间")
    end = _time(window_end, "window_end", "可接电话时段的结束时间")
    check_window(start, end)
    emergency_name = _text(emergency_name, "emergency_name", "紧急联系人姓名", limit=NAME_MAX)
    emergency_phone = _text(emergency_phone, "emergency_phone", "紧急联系人电话", limit=30)
    if bool(emergency_name) != bool(emergency_phone):
        raise Invalid(
            "hardship_emergency_incomplete",
            "更改紧急联系人须同时填写姓名和电话",
            "A new emergency contact needs both a name and a phone",
            {"emergency_phone" if emergency_name else "emergency_name": "required"},
        )
    if emergency_phone and len(normalise_phone(emergency_phone)) < 7:
        raise Invalid(
            "hardship_emergency_phone",
            "请填写正确的紧急联系人电话",
            "Give the emergency contact's phone",
            {"emergency_phone": "invalid"},
        )
    with transaction.atomic():
        case, _ = create_case(
            actor,
            unit=unit,
            kind=KIND,
            channel=channel,
            title=f"逾期报备：{day_text(overdue_on)}到期",
            description=hardship,
            contact={"name": name, "phone": phone},
            own_form=True,
        )
        report = HardshipReport(
            case=case,
            agent=agent,
            reported_on=today,
            overdue_on=overdue_on,
            hardship=hardship,
            willingness=willingness,
            window_start=start,
            window_end=end,
            emergency_name=emergency_name,
            emergency_phone=emergency_phone,
            emergency_phone_index=blind_index(emergency_phone) if emergency_phone else "",
            created_at=clock.now(),
        )
        report.recording = _recording(actor, case, recording)
        report.save()
        audit.record(
            actor,
            "cases.hardship.report",
            case,
            after={
                "report": report.pk,
                "overdue_on": overdue_on.isoformat(),
                "willingness": willingness,
                "contact_window": window_text(start, end),
                "emergency_contact": fingerprint(emergency_phone) if emergency_phone else None,
                "recording": report.recording_id,
            },
        )
        _plan_first(actor, report)
    return report


# ── outbound calls ─────────────────────────────────────────────────────────────────────────────────


def check_target(report: HardshipReport, target: str, phone: str = "") -> None:
    """HRD-1 "不要爆通讯录": a call reaches the customer's own number, or — only after the customer could
    not be reached on this report — the emergency contact the report declared. Anyone else is refused;
    so is a number typed that is neither of these."""
    if target not in CallTarget.values:
        raise Invalid("hardship_target", "请选择拨打对象", "Choose whom you call", {"target": "invalid"})
    case = report.case
    own = {i for i in (case.contact_phone_index, case.customer.phone_index if case.customer_id else "") if i}
    refused = target == CallTarget.OTHER
    if target == CallTarget.EMERGENCY:
        if not report.emergency_phone_index:
            refused = True
        elif not report.calls.filter(target=CallTarget.CUSTOMER, outcome=CallOutcome.UNREACHABLE).exists():
            raise Invalid(
                "HRD-1.emergency_first",
                "须先联系客户本人且未能接通，才可联系紧急联系人（HRD-1：“在联系不上本人的情况下,"
                "可以联系你的紧急联系人”）",
                "The emergency contact may be called only after the customer could not be reached (HRD-1)",
                {"target": "customer_first"},
            )
    if phone and not refused:
        allowed = own if target == CallTarget.CUSTOMER else {report.emergency_phone_index}
        refused = blind_index(phone) not in allowed
    if refused:
        raise Invalid(
            "HRD-1.address_book",
            f"只可拨打客户本人或其报备的紧急联系人，不得联系通讯录或其他第三方（HRD-1：“{ADDRESS_BOOK_CLAUSE}”）",
            "Only the customer or the emergency contact they declared may be called; never the address "
            "book or another third party (HRD-1)",
            {"target": "third_party"},
        )


def check_window_at(report: HardshipReport, at: datetime) -> None:
    """HRD-1: outbound calls only inside the window the customer reported, read as the outbound gateway
    reads a contact window (engine.outbound.windows, FUP-2)."""
    text = window_text(report.window_start, report.window_end)
    if windows.opens_at(text, at) != at:
        raise Invalid(
            "HRD-1.contact_window",
            f"{moment_text(at)}不在客户报备的可接电话时段（{text}）内，不能拨打（HRD-1：“{WINDOW_CLAUSE}”）",
            f"The call at {moment_text(at)} is outside the customer's contact window ({text}) (HRD-1)",
            {"at": "outside_window"},
        )


def _report_for_write(actor: Actor, report: HardshipReport) -> HardshipReport:
    report = (
        HardshipReport.objects.select_for_update(of=("self",))
        .select_related("case__unit", "case__customer")
        .get(pk=report.pk)
    )
    case = report.case
    if not access.write_in_scope(actor, HANDLE, unit=case.unit, owner_id=case.owner_id):
        raise NotFound("逾期报备", "hardship report")
    if case.state not in OPEN_STATES:
        raise Conflict("hardship_case_closed", "该工单已结案，不能再记录通话", "The case is closed")
    return report


def log_call(
    actor: Actor,
    report: HardshipReport,
    *,
    target: str,
    outcome: str,
    at=None,
    phone: str = "",
    note: str = "",
    recording=None,
) -> HardshipCall:
    """Log one outbound call on the report (HRD-1): to an allowed number, inside the window."""
    now = clock.now()
    at = at or now
    if at.tzinfo is None:  # a time without a zone is Beijing time
        at = at.replace(tzinfo=clock.zone())
    if at > now:
        raise Invalid(
            "hardship_call_future",
            "通话时间不能晚于现在",
            "The call cannot be in the future",
            {"at": "future"},
        )
    if outcome not in CallOutcome.values:
        raise Invalid("hardship_outcome", "请选择通话结果", "Choose the outcome", {"outcome": "invalid"})
    note = _text(note, "note", "通话记录", limit=NOTE_MAX)
    by = access.employee_of(actor.user)
    if by is None:
        raise Invalid("hardship_no_employee", "只有员工可以记录通话", "Only staff log calls")
    with transaction.atomic():
        report = _report_for_write(actor, report)
        check_target(report, target, phone)
        check_window_at(report, at)
        call = HardshipCall.objects.create(
            report=report,
            at=at,
            target=target,
            outcome=outcome,
            note=note,
            recording=_recording(actor, report.case, recording),
            by=by,
            recorded_at=now,
        )
        audit.record(
            actor,
            "cases.hardship.call",
            report.case,
            after={
                "call": call.pk,
                "call_target": target,
                "call_outcome": outcome,
                "call_at": moment_text(at),
                "recording": call.recording_id,
            },
        )
    return call


def listened(actor: Actor, report: HardshipReport, recording) -> None:
    """HRD-1 "报备电话要进行录音,并保存好": every listen to a recording is an audited read."""
    with transaction.atomic():
        audit.record_read(
            actor,
            report.case,
            fields=[f"attachment:{recording.pk}"],
            purpose="收听逾期报备通话录音 / listen to a hardship call recording",
        )


# ── reminders ──────────────────────────────────────────────────────────────────────────────────────


def _at(day: date, start: time) -> datetime:
    return datetime.combine(day, start, tzinfo=clock.local().tzinfo)


def monthly_slots(after: date, per_month: int) -> date:
    """The next day after `after` on the month's call days: `per_month` evenly spaced days from the 1st."""
    day = after + timedelta(days=1)
    while True:
        length = calendar.monthrange(day.year, day.month)[1]
        step = max(length // max(per_month, 1), 1)
        slots = [1 + i * step for i in range(max(per_month, 1))]
        for slot in slots:
            if slot >= day.day:
                return day.replace(day=slot)
        day = (day.replace(day=1) + timedelta(days=length)).replace(day=1)


def _plan_first(actor: Actor, report: HardshipReport) -> None:
    """Plan the call before the overdue date and the first monthly call (both in the window)."""
    now = clock.now()
    unit = report.case.unit
    before = policy.lookup(BEFORE_KEY, at=report.created_at, unit=unit)
    text = window_text(report.window_start, report.window_end)
    due = _at(report.overdue_on - timedelta(days=int(before.value)), report.window_start)
    if due < now:  # reported late: the next time the window is open
        due = windows.opens_at(text, now)
    HardshipReminder.objects.create(report=report, kind=ReminderKind.BEFORE_OVERDUE, due_at=due)
    decisions.record_from_entry(
        report.case,
        before,
        outcome=f"提醒承办坐席于{moment_text(due)}在客户可接电话时段内致电客户",
        inputs={
            "overdue_on": day_text(report.overdue_on),
            "contact_window": text,
            "reminder_at": moment_text(due),
        },
        actor=actor,
    )
    _plan_monthly(actor, report, report.overdue_on)
    horizon = _at(clock.today() + timedelta(days=1), time(0, 0))
    for row in report.reminders.filter(sent_at__isnull=True, due_at__lt=horizon):
        _send(row, now)


def _plan_monthly(actor: Actor | None, report: HardshipReport, after: date) -> None:
    per_month = policy.lookup(PER_MONTH_KEY, at=report.created_at, unit=report.case.unit)
    day = monthly_slots(after, int(per_month.value))
    due = _at(day, report.window_start)
    if report.reminders.filter(kind=ReminderKind.MONTHLY, due_at=due).exists():
        return
    HardshipReminder.objects.bulk_create(
        [HardshipReminder(report=report, kind=ReminderKind.MONTHLY, due_at=due)], ignore_conflicts=True
    )
    decisions.record_from_entry(
        report.case,
        per_month,
        outcome=f"逾期后按每月致电次数安排跟进：提醒承办坐席于{moment_text(due)}致电客户",
        inputs={"overdue_on": day_text(report.overdue_on), "reminder_at": moment_text(due)},
        actor=actor,
    )


def _recipient(report: HardshipReport):
    return report.case.owner if report.case.owner_id else report.agent


def _send(row: HardshipReminder, now) -> bool:
    """Send one reminder once: the conditional UPDATE claims it; a second sweeper finds it sent."""
    report = row.report
    person = _recipient(report)
    claimed = HardshipReminder.objects.filter(pk=row.pk, sent_at__isnull=True).update(
        sent_at=now, sent_to=person
    )
    if not claimed:
        return False
    case = report.case
    if case.state not in OPEN_STATES:
        return False
    if person.user_id:
        notify(
            [person.user],
            "cases.hardship_reminder",
            {
                "number": case.number,
                "when": day_text(clock.local(row.due_at).date()),
                "window": window_text(report.window_start, report.window_end),
                "overdue_on": day_text(report.overdue_on),
                "monthly": row.kind == ReminderKind.MONTHLY,
            },
            obj=case,
            link=reverse("cases:hardship", args=[case.pk]),
            channels=("inbox",),
        )
    if row.kind == ReminderKind.MONTHLY:
        _plan_monthly(None, report, clock.local(row.due_at).date())
    return True


def remind(run=None) -> int:
    """HRD-1: send every unsent reminder due today to the case's assigned agent (or the agent who took
    the report), once; a monthly reminder plans the next. Returns how many were sent by this sweep."""
    now = clock.now()
    horizon = _at(clock.today() + timedelta(days=1), time(0, 0))
    due = list(
        HardshipReminder.objects.filter(sent_at__isnull=True, due_at__lt=horizon)
        .select_related("report__case__owner__user", "report__agent__user")
        .order_by("due_at", "pk")[:2000]
    )
    sent = 0
    for row in due:
        with transaction.atomic():
            sent += _send(row, now)
    return sent


REMINDERS = Schedule(
    "cases.hardship_reminders", "daily", run="kefu.cases.actions.hardship.remind", at=time(8, 0)
)


def register_jobs() -> None:
    register(REMINDERS)
