"""E-mail in and out of service cases (CASE-2), on the mail engine's public API.

In: every received message no address-bound handler claims comes here. A message that belongs to a
case joins it as the customer's message (its Message-ID kept): it answers mail we sent about the case
(In-Reply-To / References), or it names the case's number (`KF-…`) and comes from the case's own
contact address — a number alone from a stranger is not enough to write into someone's case (numbers
are sequential), so such mail becomes a new case instead. Any other message becomes a new case:
a complaint when the subject says 投诉, a suggestion for 建议 / 意见, else a consultation; the sender is
the contact and gets a confirmation with the status link, threaded to their message.

Out: a public comment of an agent on a case with a contact e-mail goes to the customer
(`reply_to_customer`, called by actions.comment), subject "[KF-…] …", In-Reply-To the customer's last
message, so that their answer threads back in.
"""

import hashlib
import logging
import re

from django.contrib.contenttypes.models import ContentType

from kefu.cases import actions
from kefu.cases.models import Case, Comment
from kefu.core.actor import Actor
from kefu.core.crypto import blind_index
from kefu.core.errors import Invalid
from kefu.engine.mail.api import InboundMail, find_reference, reference_token, register_handler, send_external

log = logging.getLogger("kefu.cases")
PREFIX = "KF"
SYSTEM = "e-mail"
REPLY_PREFIX = re.compile(r"^\s*((re|fw|fwd|回复|答复|转发)\s*[:：]\s*)+", re.IGNORECASE)
NO_SUBJECT = "（无主题邮件）"


def kind_of(subject: str) -> str:
    """The kind a new mail opens: 投诉 → complaint, 建议 / 意见 → suggestion, else consultation."""
    if "投诉" in subject:
        return "complaint"
    if "建议" in subject or "意见" in subject:
        return "suggestion"
    return "consultation"


def _from_contact(case: Case, address: str) -> bool:
    return bool(address) and case.contact_email_index == blind_index(address, kind="email")


def case_of(inbound: InboundMail) -> Case | None:
    """The case this message belongs to, strongest evidence first (see the module's note)."""
    references = find_reference(inbound.subject, inbound.text, inbound.thread_headers, prefix=PREFIX)
    for reference in references:
        if reference.content_type is not None:
            found = reference.object
            if isinstance(found, Case):
                return found
            continue
        case = Case.objects.filter(number=reference.token).first()
        if case is not None and _from_contact(case, inbound.reply_address):
            return case
    return None


def _text(inbound: InboundMail) -> str:
    text = (inbound.text or "").strip() or inbound.subject or NO_SUBJECT
    return text[: actions.TEXT_MAX]


def _unit():
    from kefu.cases.actions_public import default_subsidiary
    from kefu.org.models import Unit

    try:
        return default_subsidiary()
    except Invalid:  # several subsidiaries and no default: the group's queues take it
        return Unit.objects.filter(parent__isnull=True, is_active=True).order_by("path").first()


def handle_inbound(inbound: InboundMail) -> Case:
    """The registered mail handler: a reply joins its case; anything else opens one."""
    actor = Actor.system(SYSTEM)
    case = case_of(inbound)
    if case is not None:
        actions.customer_wrote(case, _text(inbound), message_id=inbound.message_id, actor=actor)
        return case
    from kefu.cases.actions_public import confirm

    subject = REPLY_PREFIX.sub("", inbound.subject or "").strip() or NO_SUBJECT
    case, created = actions.create_case(
        actor,
        unit=_unit(),
        kind=kind_of(subject),
        channel="email",
        title=subject[: actions.TITLE_MAX],
        description=_text(inbound),
        contact={"name": inbound.from_name[:100], "email": inbound.reply_address},
        public=True,
        idempotency_key=hashlib.sha256(inbound.message_id.encode()).hexdigest(),
        idempotency_scope="mail",
    )
    if created:
        confirm(actor, case, actions.new_public_secret(case), in_reply_to=inbound.message_id)
    return case


def last_customer_message_id(case: Case) -> str:
    """The Message-ID of the customer's latest mail on the case (a reply or the mail that opened it)."""
    found = (
        Comment.objects.filter(case=case, from_customer=True)
        .exclude(message_id="")
        .order_by("-at", "-pk")
        .values_list("message_id", flat=True)
        .first()
    )
    if found:
        return found
    return (
        InboundMail.objects.filter(
            result_type=ContentType.objects.get_for_model(Case), result_id=str(case.pk)
        )
        .order_by("-received_at", "-pk")
        .values_list("message_id", flat=True)
        .first()
        or ""
    )


def reply_to_customer(actor: Actor, case: Case, comment: Comment):
    """Send an agent's public reply to the case's contact e-mail (none: nothing is sent)."""
    if not case.contact_email or not comment.public or comment.from_customer:
        return None
    body = (
        f"{comment.body}\n\n"
        f"——\n受理编号 {case.number}。如需补充，请直接回复本邮件。\n"
        f"Reference {case.number}. Reply to this e-mail to add to your request.\n"
    )
    try:
        mail = send_external(
            actor,
            to=case.contact_email,
            subject=f"{reference_token(PREFIX, case.number)} {case.title}",
            body=body,
            obj=case,
            in_reply_to=last_customer_message_id(case),
        )
    except Invalid:  # an address the mail server would refuse: the reply stays on the case page
        log.warning("case %s: contact e-mail not usable, reply not mailed", case.number)
        return None
    Comment.objects.filter(pk=comment.pk).update(message_id=mail.message_id[:300])
    comment.message_id = mail.message_id[:300]
    return mail


register_handler("cases", handle_inbound)
