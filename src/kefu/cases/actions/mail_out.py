"""E-mail to the customer of a case (CASE-2), on the mail engine's public API.

A public comment of an agent on a case with a contact e-mail goes to the customer
(`reply_to_customer`, called by `blocks.comment`), subject "[KF-…] …", In-Reply-To the customer's
last message, so that their answer threads back in (`mail_in`). A case received from the public
form or by e-mail is confirmed with its status link (`confirm`).
"""

import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from kefu.cases.models import Case, Comment
from kefu.cases.queries.public import status_path
from kefu.core.actor import Actor
from kefu.core.errors import Invalid
from kefu.engine.mail.api import InboundMail, reference_token, send_external

log = logging.getLogger("kefu.cases")
PREFIX = "KF"


def confirm(actor: Actor, case: Case, secret: str, *, in_reply_to: str = "") -> None:
    """A confirmation with the status link, when the customer left an e-mail address (threaded to
    their message when the case came in by e-mail)."""
    if not case.contact_email:
        return
    link = f"{settings.KEFU_SITE_URL}{status_path(case, secret)}"
    body = (
        f"{case.contact_name or '您好'}：\n\n"
        f"我们已收到您的{case.kind.name}「{case.title}」，受理编号 {case.number}。"
        "客服专员会尽快与您联系。\n"
        f"查看处理进度（请妥善保管此链接，勿转发他人）：\n{link}\n\n"
        "如需补充说明，可直接回复本邮件。\n\n"
        f"We have received your request “{case.title}” (reference {case.number}). "
        f"Follow it here (keep this link private): {link}\n"
    )
    send_external(
        actor,
        to=case.contact_email,
        subject=f"{reference_token(PREFIX, case.number)} 已受理 / Received: {case.title}",
        body=body,
        obj=case,
        in_reply_to=in_reply_to,
    )


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
