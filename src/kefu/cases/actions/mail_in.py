"""E-mail into service cases (CASE-2), on the mail engine's public API (`mail_out` sends).

Every received message no address-bound handler claims comes here (`handle_inbound`, registered in
`apps.ready`). A message that belongs to a case joins it as the customer's message (its Message-ID
kept): it answers mail we sent about the case (In-Reply-To / References), or it names the case's
number (`KF-…`) and comes from the case's own contact address — a number alone from a stranger is not
enough to write into someone's case (numbers are sequential), so such mail becomes a new case
instead. Any other message becomes a new case: a complaint when the subject says 投诉, a suggestion
for 建议 / 意见, else a consultation; the sender is the contact and gets a confirmation with the
status link, threaded to their message.
"""

import hashlib
import re

from kefu.cases.actions import blocks, intake, mail_out
from kefu.cases.models import Case
from kefu.cases.queries import public as public_queries
from kefu.core.actor import Actor
from kefu.core.crypto import blind_index
from kefu.core.errors import Invalid
from kefu.engine.mail.api import InboundMail, find_reference
from kefu.org.models import Unit

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
    references = find_reference(inbound.subject, inbound.text, inbound.thread_headers, prefix=mail_out.PREFIX)
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
    return text[: blocks.TEXT_MAX]


def _unit():
    try:
        return public_queries.default_subsidiary()
    except Invalid:  # several subsidiaries and no default: the group's queues take it
        return Unit.objects.filter(parent__isnull=True, is_active=True).order_by("path").first()


def handle_inbound(inbound: InboundMail) -> Case:
    """The registered mail handler: a reply joins its case; anything else opens one."""
    actor = Actor.system(SYSTEM)
    case = case_of(inbound)
    if case is not None:
        blocks.customer_wrote(case, _text(inbound), message_id=inbound.message_id, actor=actor)
        return case
    subject = REPLY_PREFIX.sub("", inbound.subject or "").strip() or NO_SUBJECT
    case, created = intake.create_case(
        actor,
        unit=_unit(),
        kind=kind_of(subject),
        channel="email",
        title=subject[: blocks.TITLE_MAX],
        description=_text(inbound),
        contact={"name": inbound.from_name[:100], "email": inbound.reply_address},
        public=True,
        idempotency_key=hashlib.sha256(inbound.message_id.encode()).hexdigest(),
        idempotency_scope="mail",
    )
    if created:
        mail_out.confirm(actor, case, intake.new_public_secret(case), in_reply_to=inbound.message_id)
    return case
