"""SLA-1 "遇有突发或巨大服务质量问题的信息,应在30分钟内通知办公室主管" [003 · Q/320611 LHJ002—2018
客户服务应急预案 3.2.1]: a major quality problem (a major complaint or repair, the cases whose
on-site clock runs too) starts the `quality_notice` clock on receipt (`sla.major_quality_notice`,
30 minutes). The case's owner or a supervisor tells the office supervisor through `notify_office`
— the notification goes out and the clock stops, met or late; unmet, the engine records the breach
and escalates the case up its chain (ESC-1, WF-6) like any case clock.

The organisation has no post called 办公室主管: the 客服主管 of the case's subsidiary stands for it
(docs/decisions.md, issue 18).
"""

from django.db import IntegrityError, transaction

from kefu.cases import lifecycle
from kefu.cases.actions import blocks
from kefu.cases.models import Case, QualityNotice
from kefu.cases.queries import notices as queries
from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid
from kefu.engine.notifications.api import notify
from kefu.engine.policy import api as policy
from kefu.engine.workflow import api as workflow

CLOCK = lifecycle.QUALITY_NOTICE.name


def _told() -> Conflict:
    return Conflict(
        "case_quality_notice_none",
        "本工单没有待通知办公室主管的重大质量问题（或已通知）",
        "This case has no major quality problem waiting for the office supervisor (or it was told)",
    )


def notify_office(actor: Actor, case: Case, note: str = "") -> list:
    """Tell the office supervisor of the case's major quality problem; stops the 30-minute clock."""
    blocks.require_handler(actor, case, "通知办公室主管", "notify the office supervisor")
    note = blocks.text(note, "note")
    timer = queries.pending_notice(case)
    if timer is None:
        raise _told()
    people = queries.office_supervisors(case)
    if not people:
        raise Invalid(
            "case_quality_notice_nobody",
            "本公司没有可以接收通知的办公室主管（客服主管）",
            "Nobody stands for the office supervisor in this subsidiary",
            {"case": "nobody"},
        )
    now = clock.now()
    late = timer.breached_at is not None or now > timer.due_at
    with transaction.atomic():
        try:
            with transaction.atomic():
                # the unique key on the case: of two people pressing at once, one tells
                QualityNotice.objects.create(
                    case=case, notified_at=now, notified_by=actor.user, late=late, note=note
                )
        except IntegrityError:
            raise _told() from None
        notify(people, "cases.quality_notice", {"case": case, "note": note, "late": late}, obj=case)
        workflow.stop(case, [CLOCK])
        entry = policy.lookup(timer.policy_key, at=timer.started_at, unit=case.unit)
        when = clock.local(now).strftime("%Y-%m-%d %H:%M")
        decisions.record_from_entry(
            case,
            entry,
            outcome=(
                f"已于 {when} 通知办公室主管（{'、'.join(u.employee.name for u in people)}）"
                f" → {'超时后通知' if late else '在时限内通知'}"
            ),
            inputs={"due_at": timer.due_at, "notified_at": now, "late": late},
            actor=actor,
        )
        audit.record(actor, "cases.quality_notice", case, after={"to": [u.pk for u in people], "late": late})
        blocks.refresh_due(case)
    return people
