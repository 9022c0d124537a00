"""Reviewing vendor filings (VEN-1): "审核内容包括申请人资质、合同是否合法有效、业务模式是否符合相关规定等。审核过程
中,如发现申请材料不完整或不符合要求的情况,会要求补充或修改相应内容" and "通过审核后…将备案信息登记并颁发备案证书"
(seed 000 中通外包客服备案流程).

A reviewer (vendors.review over the subsidiary) asks for a supplement — a written reason, the materials
wanted, a deadline of the pack's `vendors.supplement_within` (本系统默认值: the seed gives none) — approves
(a certificate numbered from its own row's key: no shared counter is locked) or rejects with a reason.
The vendor's side (vendors.manage) answers a supplement. A request still open at its deadline returns
the filing: the clock's sweep takes each row under a skip-locked lock and a guarded condition, so two
workers return it once, with one decision record."""

from django.db import transaction

from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid
from kefu.engine.notifications.api import notify
from kefu.engine.policy import api as policy
from kefu.vendors.actions import certificates, common, supervision
from kefu.vendors.actions.filings import KIND_NAMES
from kefu.vendors.models import Certificate, Filing, FilingStatus, Supplement
from kefu.vendors.queries import filings as queries

SUPPLEMENT_WITHIN = "vendors.supplement_within"
SYSTEM = Actor.system("vendor filing timer")


def _notify(users, template: str, filing: Filing, context: dict) -> None:
    users = [u for u in dict.fromkeys(users) if u is not None and u.is_active]
    if users:
        notify(
            users, template, {"vendor": filing.name, **context}, obj=filing, link=filing.get_absolute_url()
        )


def request_supplement(actor: Actor, filing: Filing, *, reason, kinds=()) -> Supplement:
    """Ask the vendor for more, with a written reason; the deadline is now + `vendors.supplement_within`."""
    common.require(actor, queries.REVIEW, filing)
    reason = common.text(reason, "reason", "要求补充的原因", limit=1000)
    wanted = []
    for kind in kinds or ():
        if kind not in KIND_NAMES:
            raise Invalid(
                "vendor_material_kind", "请选择材料类别", "Unknown material kind", {"kinds": "unknown"}
            )
        if kind not in wanted:
            wanted.append(kind)
    with transaction.atomic():
        found = common.locked(filing)
        common.expect(found, FilingStatus.SUBMITTED, doing="要求补充材料")
        now = clock.now()
        entry = policy.lookup(SUPPLEMENT_WITHIN, at=now, unit=found.unit)
        row = Supplement.objects.create(
            filing=found,
            reason=reason,
            kinds=wanted,
            due_at=entry.due(now),
            requested_by=actor.user,
            requested_at=now,
        )
        found.status = FilingStatus.SUPPLEMENT
        found.save(update_fields=["status"])
        decisions.record_from_entry(
            found,
            entry,
            outcome=f"补正期限至 {clock.local(row.due_at):%Y-%m-%d %H:%M}，逾期未补正将退回备案",
            inputs={"vendor_supplement_reason": reason},
            actor=actor,
        )
        audit.record(
            actor,
            "vendors.supplement.request",
            found,
            before={"status": FilingStatus.SUBMITTED},
            after={"status": found.status, "reason": reason, "kinds": wanted, "due_at": row.due_at},
        )
        _notify(
            [found.created_by, *queries.holders(found.unit, queries.MANAGE)],
            "vendors.supplement_requested",
            found,
            {"reason": reason, "due": f"{clock.local(row.due_at):%Y-%m-%d %H:%M}"},
        )
    return row


def answer_supplement(actor: Actor, filing: Filing, *, note="") -> Filing:
    """The vendor's side answers the open request (its files uploaded with add_material): the filing goes
    back to review. The materials the request named must have a file uploaded in answer to it."""
    common.require(actor, queries.MANAGE, filing)
    note = common.text(note, "note", "补充说明", limit=1000, required=False)
    with transaction.atomic():
        found = common.locked(filing)
        common.expect(found, FilingStatus.SUPPLEMENT, doing="提交补充材料")
        request = queries.open_supplement(found)
        if request is None:
            raise Conflict("vendor_supplement_none", "没有待补充的要求", "No supplement request is open")
        since = set(request.materials.values_list("kind", flat=True))  # uploaded in answer to it
        absent = [k for k in request.kinds if k not in since]
        if absent or (not request.kinds and not since and not note):
            names = "、".join(KIND_NAMES[k] for k in absent) or "补充材料或补充说明"
            raise Invalid(
                "vendor_supplement_incomplete",
                f"尚未补充：{names}。请上传后再提交",
                f"Not yet supplemented: {', '.join(absent) or 'a file or a note'}",
                {"materials": absent},
            )
        now = clock.now()
        request.answered_at = now
        request.answered_by = actor.user
        request.answer_note = note
        request.save(update_fields=["answered_at", "answered_by", "answer_note"])
        found.status = FilingStatus.SUBMITTED
        found.submitted_at = now
        found.save(update_fields=["status", "submitted_at"])
        audit.record(
            actor,
            "vendors.supplement.answer",
            found,
            before={"status": FilingStatus.SUPPLEMENT},
            after={"status": found.status, "supplement": request.pk, "note": note},
        )
        _notify([request.requested_by], "vendors.supplement_answered", found, {})
    return found


def approve(actor: Actor, filing: Filing, *, note="") -> Certificate:
    """Approve a submitted filing: the certificate, the first reporting period and the first inspection."""
    common.require(actor, queries.REVIEW, filing)
    note = common.text(note, "note", "审核意见", limit=1000, required=False)
    with transaction.atomic():
        found = common.locked(filing)
        common.expect(found, FilingStatus.SUBMITTED, doing="批准")
        now = clock.now()
        found.status = FilingStatus.APPROVED
        found.decided_at = now
        found.decided_by = actor.user
        found.approved_on = clock.today()
        found.save(update_fields=["status", "decided_at", "decided_by", "approved_on"])
        certificate = certificates.issue(actor, found)
        supervision.open_period(found, found.approved_on, actor=actor)
        supervision.open_inspection(found, found.approved_on, actor=actor)
        audit.record(
            actor,
            "vendors.filing.approve",
            found,
            before={"status": FilingStatus.SUBMITTED},
            after={"status": found.status, "certificate": certificate.number, "note": note},
        )
        _notify(
            [found.created_by, *queries.holders(found.unit, queries.MANAGE)],
            "vendors.filing_approved",
            found,
            {"number": certificate.number},
        )
    return certificate


def reject(actor: Actor, filing: Filing, *, reason) -> Filing:
    """Reject a submitted filing with a written reason (final: a new filing starts over)."""
    common.require(actor, queries.REVIEW, filing)
    reason = common.text(reason, "reason", "驳回原因", limit=1000)
    with transaction.atomic():
        found = common.locked(filing)
        common.expect(found, FilingStatus.SUBMITTED, doing="驳回")
        found.status = FilingStatus.REJECTED
        found.decided_at = clock.now()
        found.decided_by = actor.user
        found.reject_reason = reason
        found.save(update_fields=["status", "decided_at", "decided_by", "reject_reason"])
        audit.record(
            actor,
            "vendors.filing.reject",
            found,
            before={"status": FilingStatus.SUBMITTED},
            after={"status": found.status},
            reason=reason,
        )
        _notify([found.created_by], "vendors.filing_rejected", found, {"reason": reason})
    return found


def _return(filing: Filing, row: Supplement, now) -> bool:
    row.expired_at = now
    row.save(update_fields=["expired_at"])
    filing.status = FilingStatus.RETURNED
    filing.save(update_fields=["status"])
    entry = policy.lookup(SUPPLEMENT_WITHIN, at=row.requested_at, unit=filing.unit)
    decisions.record_from_entry(
        filing,
        entry,
        outcome="逾期未补正，备案已退回",
        inputs={
            "vendor_supplement_requested_at": f"{clock.local(row.requested_at):%Y-%m-%d %H:%M}",
            "vendor_supplement_due_at": f"{clock.local(row.due_at):%Y-%m-%d %H:%M}",
        },
    )
    audit.record(
        SYSTEM,
        "vendors.supplement.expire",
        filing,
        before={"status": FilingStatus.SUPPLEMENT},
        after={"status": filing.status, "supplement": row.pk},
    )
    _notify(
        [filing.created_by, row.requested_by, *queries.holders(filing.unit, queries.MANAGE)],
        "vendors.filing_returned",
        filing,
        {"due": f"{clock.local(row.due_at):%Y-%m-%d %H:%M}"},
    )
    return True


def expire(now=None) -> int:
    """The clock: return every filing whose supplement request passed its deadline unanswered — once. The
    filing's row is taken first (every write to a supplement holds it), skip-locked: a second worker skips
    it, and the guarded re-read finds the request already expired or answered."""
    now = now or clock.now()
    returned = 0
    for pk, filing_id in queries.expired_supplement_ids(now):
        with transaction.atomic():
            filing = (
                Filing.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("unit")
                .filter(pk=filing_id, status=FilingStatus.SUPPLEMENT)
                .first()
            )
            row = (
                Supplement.objects.filter(
                    pk=pk, answered_at__isnull=True, expired_at__isnull=True, due_at__lte=now
                ).first()
                if filing is not None
                else None
            )
            if row is not None:
                returned += _return(filing, row, now)
    return returned
