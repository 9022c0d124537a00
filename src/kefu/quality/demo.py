"""Demo inspection (QA-1): 赵敏 closed three calls this week, each with its call recording (a short WAV
generated here with the `wave` module — a few seconds of tone, no binary file in git — attached through
the cases attachment action); 王芳 drew this week's sample, which gave 周强 a random pick and risk picks
(long handling); 周强 scored one and published it to 赵敏. The other sampled cases, with their
recordings, wait for 周强 (the browser test inspects one, 赵敏 appeals, 唐宁 rules)."""

import io
import math
import struct
import wave
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from kefu.cases import actions as case_actions
from kefu.cases.actions import attachments
from kefu.cases.actions import routing as case_routing
from kefu.cases.queries import routing
from kefu.core import clock
from kefu.org.access import actor_for
from kefu.org.models import Employee
from kefu.quality.actions import inspections, sampling
from kefu.quality.models import Inspection, InspectionState

PEOPLE = ("zhaomin", "zhouqiang", "wangfang")
RATE = 8000  # telephone quality, mono 16-bit
CALLS = [
    # (title, days ago received, caller) — the older two were handled long (a risk factor)
    ("来电咨询物业费缴纳方式", 0, "13512341001"),
    ("来电咨询车位租赁续约", 3, "13512341002"),
    ("来电咨询交房验收预约", 4, "13512341003"),
]


def recording(seconds: float = 3.0, tone: float = 440.0) -> bytes:
    """A short WAV: `seconds` of a soft tone with a fade in and out."""
    frames = int(RATE * seconds)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        samples = []
        for n in range(frames):
            fade = min(1.0, n / 800, (frames - n) / 800)
            samples.append(int(8000 * fade * math.sin(2 * math.pi * tone * n / RATE)))
        out.writeframes(struct.pack(f"<{frames}h", *samples))
    return buffer.getvalue()


def _as(employee):
    return actor_for(employee.user, origin="cli demo")


def _on_duty(zhaomin, days_ago: int):
    """An instant `days_ago` when 赵敏 is on shift by the published rota (the demo's four weeks), so
    the call she answers is routed to her; the same time of day when no rota says otherwise."""
    start = clock.local().replace(hour=0, minute=30, second=0, microsecond=0) - timedelta(days=days_ago)
    for hour in range(24):
        if routing.is_available(zhaomin, start + timedelta(hours=hour)):
            return start + timedelta(hours=hour)
    return clock.now() - timedelta(days=days_ago)


def _call(zhaomin, wangfang, title: str, days_ago: int, phone: str):
    with clock.frozen_at(_on_duty(zhaomin, days_ago)):
        case, _ = case_actions.create_case(
            _as(zhaomin),
            unit=zhaomin.unit,
            kind="consultation",
            channel="phone",
            title=title,
            contact={"name": "业主", "phone": phone},
        )
        if case.owner_id != zhaomin.pk:  # routed by the rota to whoever was on shift: she took the call
            case_routing.transfer(_as(wangfang), case, reason="赵敏接听的来电，由她办理", to_owner=zhaomin)
            case.refresh_from_db()
    owner = _as(case.owner)
    case = case_actions.act(
        owner, case, "answer", data={"solution": "已按政策答复", "customer_reply": "已电话答复"}
    )
    case = case_actions.act(owner, case, "close", data={"satisfied": True})
    # the telephone system exports its recordings as NAME.WAV
    upload = SimpleUploadedFile(f"通话录音-{case.number}.WAV", recording(), content_type="audio/wav")
    attachments.attach(_as(zhaomin), case, upload)
    return case


def load_quality(actor) -> dict:
    people = {
        e.user.username: e
        for e in Employee.objects.select_related("user", "unit").filter(user__username__in=PEOPLE)
    }
    if len(people) < len(PEOPLE) or Inspection.objects.exists():
        return {"inspections": 0}
    zhaomin, zhouqiang, wangfang = (people[u] for u in PEOPLE)
    for title, days_ago, phone in CALLS:
        _call(zhaomin, wangfang, title, days_ago, phone)
    made = sampling.run_now(_as(wangfang))
    tasks = list(
        Inspection.objects.filter(inspector=zhouqiang, agent=zhaomin, state=InspectionState.ASSIGNED)
        .select_related("scorecard")
        .order_by("case__received_at", "pk")
    )
    with_recording = [t for t in tasks if t.case.attachments.filter(content_type="audio/wav").exists()]
    if len(with_recording) >= 2:
        first = with_recording[0]
        scores = {
            item.pk: (
                {"violated": False, "comment": "未发现违反六不准"}
                if item.fatal
                else {"score": item.max_score - (2 if item.name == "三声服务" else 0), "comment": ""}
            )
            for item in first.scorecard.items.all()
        }
        scores_note = "结束通话时未说“再见”，送声欠缺"
        for item in first.scorecard.items.all():
            if item.name == "三声服务":
                scores[item.pk]["comment"] = scores_note
        inspections.score(_as(zhouqiang), first, scores=scores, comment="整体规范，注意结束语")
        inspections.publish(_as(zhouqiang), first)
    return {"inspections": made}
