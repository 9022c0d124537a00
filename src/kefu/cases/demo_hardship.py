"""Demo 逾期报备 (HRD-1, `kefu demo load`): three reports taken by 赵敏 for realty customers of the
archive, through the actions —

- one whose call is due tomorrow: overdue in `hardship.call_days_before_overdue` + 1 days, calls
  12:00–14:00, so the reminder to the assigned agent falls tomorrow at 12:00;
- one with a new emergency contact (encrypted) and willingness "希望协商还款计划";
- one received two days ago whose customer was called inside the window, with the call's recording.

Idempotent: nothing is made when a report exists or the demo people are missing.
"""

import io
import struct
from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from kefu.cases.actions import hardship as actions
from kefu.cases.models import CallOutcome, CallTarget, HardshipReport
from kefu.core import clock
from kefu.customers.models import Customer
from kefu.engine.policy import api as policy
from kefu.org.access import actor_for
from kefu.org.models import Employee, Unit


def _wav(seconds: float = 1.0, rate: int = 8000) -> bytes:
    """A short silent mono 8-bit WAV: a recording the browser can play."""
    frames = b"\x80" * int(seconds * rate)
    header = b"RIFF" + struct.pack("<I", 36 + len(frames)) + b"WAVE"
    header += b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate, 1, 8)
    return header + b"data" + struct.pack("<I", len(frames)) + frames


def _as(employee):
    return actor_for(employee.user, origin="cli demo")


def load_hardship(actor=None) -> dict:
    agent = Employee.objects.select_related("user", "unit").filter(user__username="zhaomin").first()
    realty = Unit.objects.filter(code="hc-realty").first()
    if agent is None or realty is None or HardshipReport.objects.exists():
        return {"hardship": 0}
    customers = [
        c
        for c in Customer.objects.filter(unit__path__startswith=realty.path, kind="person").order_by("pk")[
            :20
        ]
        if c.phone
    ][:3]
    if len(customers) < 3:
        return {"hardship": 0}
    me = _as(agent)
    today = clock.today()
    before = int(policy.lookup(actions.BEFORE_KEY, unit=agent.unit).value)
    common = {"unit": agent.unit, "window_start": "12:00", "window_end": "14:00"}
    actions.create_report(
        me,
        phone=customers[0].phone,
        name=customers[0].name,
        overdue_on=today + timedelta(days=before + 1),
        hardship="客户经营的小店受疫情影响停业两个月，本月房贷月供即将逾期。",
        willingness="willing_unable",
        **common,
    )
    actions.create_report(
        me,
        phone=customers[1].phone,
        name=customers[1].name,
        overdue_on=today + timedelta(days=10),
        hardship="客户因病住院，收入中断，希望协商分期还款。",
        willingness="plan",
        emergency_name="客户配偶",
        emergency_phone="13700005678",
        **common,
    )
    two_days_ago = today - timedelta(days=2)
    zone = clock.local().tzinfo
    with clock.frozen_at(datetime.combine(two_days_ago, time(11, 0), tzinfo=zone)):
        recorded = actions.create_report(
            me,
            phone=customers[2].phone,
            name=customers[2].name,
            overdue_on=today + timedelta(days=5),
            hardship="客户被裁员，正在找工作，暂时只能先还一部分。",
            willingness="partial",
            **common,
        )
    owner = recorded.case.owner or agent
    with clock.frozen_at(datetime.combine(two_days_ago, time(12, 40), tzinfo=zone)):
        actions.log_call(
            _as(owner),
            recorded,
            target=CallTarget.CUSTOMER,
            outcome=CallOutcome.REACHED,
            at=datetime.combine(two_days_ago, time(12, 30), tzinfo=zone),
            note="客户确认有还款意愿，约定下月初先还一部分；客户告知本次通话已录音。",
            recording=SimpleUploadedFile("报备回访录音.WAV", io.BytesIO(_wav()).getvalue(), "audio/wav"),
        )
    return {"hardship": 3}
