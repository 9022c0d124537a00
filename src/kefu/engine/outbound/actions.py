"""Messages to customers (FUP-2): the one outbound interface for revisits, surveys and greetings.

`send` queues an OutboundMessage in the caller's transaction (a rollback sends nothing) and audits it;
the worker's `outbound.send` sweep delivers it: e-mail through the mail outbox (`mail.send_external`,
which the `mail.send` sweep sends over SMTP), text messages through the HTTP SMS gateway (`gateway`).

What `send` refuses, with a clear error and nothing queued:
- a customer who opted out (退订), or a recipient without a number / address;
- FUP-2: a contact other than the customer or their key person when `no_third_party_contact` is set;
- FUP-2: an immediate message outside the customer's contact window (a message given `due_at` waits
  for the window instead);
- more messages for one customer on one day than `outbound.daily_per_customer` (本系统默认值).

The sweep claims rows with the outbox protocol of notification deliveries (`notifications.actions.claim`:
FOR UPDATE SKIP LOCKED + a compare-and-set on (status, attempts), and a lease that lapses when a worker
dies), so a message is in one worker's hands at a time. It checks again before sending: an opt-out since
queueing cancels the message, a window that closed meanwhile puts it back until it opens. An e-mail is
handed to the mail outbox in the same transaction that marks it sent: exactly once. A text message is
posted with its key as Idempotency-Key: a worker killed between the gateway's 2xx and the `sent` write
leaves the row claimed; once the lease lapses it is posted again with the same key, which the gateway
uses to send it once. 4xx fails at once; 5xx and timeouts retry with a doubling wait, bounded.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, F

from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.crypto import blind_index, fingerprint, redact
from kefu.core.errors import Conflict, DomainError, Invalid, NotFound
from kefu.customers.models import Contact, Customer
from kefu.customers.queries.archive import may_view
from kefu.engine.mail.actions_outbound import SUBJECT_MAX, send_external
from kefu.engine.notifications import actions as notification_actions
from kefu.engine.outbound import gateway, windows
from kefu.engine.outbound.models import Channel, MessageState, OptOut, OutboundMessage, Receipt
from kefu.engine.policy import api as policy

log = logging.getLogger(__name__)

decisions.describe(inputs={"contact_window_opens": ("联系时段开始", "contact window opens")})

BATCH = 20
CAP = "outbound.daily_per_customer"
BODY_MAX = 2000
UNSUBSCRIBE_SALT = "kefu.outbound.unsubscribe"
KEYWORDS = ("TD", "T", "N", "退订", "取消")  # a reply that asks for no more messages (运营商惯例)
SYSTEM = Actor.system("worker outbound")


def window_closed(customer) -> DomainError:
    return DomainError(
        "contact_window",
        f"现在不在客户的联系时段（{customer.contact_window}）内，不能发送（FUP-2）；请在时段内发送或预约发送时间",
        f"Outside the customer's contact window ({customer.contact_window}); "
        "send within it or schedule the message (FUP-2)",
        status=409,
        extra={"rule": "FUP-2"},
    )


def _recipient(customer: Customer, contact: Contact | None, channel: str) -> str:
    if contact is not None and customer.no_third_party_contact and not contact.is_key_person:
        raise DomainError(
            "no_third_party_contact",
            "该客户要求不联系第三方，不能发给其他联系人（FUP-2）",
            "The customer asked that no third party be contacted (FUP-2)",
            status=409,
            extra={"rule": "FUP-2"},
        )
    holder = contact if contact is not None else customer
    address = (getattr(holder, "phone" if channel == Channel.SMS else "email", "") or "").strip()
    if channel == Channel.EMAIL and address:
        try:
            validate_email(address)
        except ValidationError:
            address = ""
    if not address:
        raise Invalid(
            "outbound_no_address",
            "收件人没有手机号码" if channel == Channel.SMS else "收件人没有有效的电子邮箱",
            "The recipient has no mobile number"
            if channel == Channel.SMS
            else "The recipient has no valid e-mail",
            fields={"to": ["required"]},
        )
    return address


def _index(channel: str, address: str) -> str:
    return blind_index(address) if channel == Channel.SMS else fingerprint(address.lower())


def send(
    actor: Actor,
    to,
    *,
    channel: str = Channel.EMAIL,
    body: str,
    purpose: str,
    subject: str = "",
    due_at=None,
    obj=None,
) -> OutboundMessage:
    """Queue one message to a customer or one of their contacts (see the module text)."""
    if channel not in Channel.values:
        raise Invalid("outbound_channel", "发送渠道无效", "Unknown channel", fields={"channel": ["invalid"]})
    body = (body or "").strip()
    subject = " ".join((subject or "").split())
    if (
        not body
        or len(body) > BODY_MAX
        or not (purpose or "").strip()
        or (channel == Channel.EMAIL and not subject)
        or len(subject) > SUBJECT_MAX
    ):
        raise Invalid(
            "outbound_content",
            f"消息需要用途和正文（邮件还需要主题，不超过{SUBJECT_MAX}字），正文不超过{BODY_MAX}字",
            f"A message needs a purpose and a body (an e-mail a subject of at most {SUBJECT_MAX} "
            f"characters too), the body at most {BODY_MAX} characters",
            fields={"body" if (purpose or "").strip() else "purpose": ["required"]},
        )
    contact = to if isinstance(to, Contact) else None
    now = clock.now()
    with transaction.atomic():
        # the customer's row is the lock of its daily cap: two senders for one customer take turns
        customer = (
            Customer.objects.select_for_update(of=("self",))
            .select_related("unit")
            .filter(pk=contact.customer_id if contact else to.pk, destroyed_at__isnull=True)
            .first()
        )
        if customer is None or (not actor.is_system and not may_view(actor, customer)):
            raise NotFound("客户", "customer")
        address = _recipient(customer, contact, channel)
        if OptOut.objects.filter(customer=customer).exists():
            raise Conflict("opted_out", "客户已退订，不能再发送消息", "The customer opted out of messages")
        when = windows.opens_at(customer.contact_window, due_at or now)
        if due_at is None and when != now:
            raise window_closed(customer)
        day = clock.local(when).date()
        cap = policy.lookup(CAP, at=now, unit=customer.unit)
        if (
            OutboundMessage.objects.filter(customer=customer, day=day)
            .exclude(status=MessageState.CANCELLED)
            .count()
            >= cap.value
        ):
            default = cap.default_not_from_seeds and not cap.edited and cap.group_value is None
            zh, en = ("（本系统默认值）", " (system default)") if default else ("", "")
            raise Conflict(
                "outbound_daily_cap",
                f"该客户当天已有{cap.value}条消息，达到每日上限{zh}",
                f"The customer already has {cap.value} messages that day, the daily cap{en}",
            )
        message = OutboundMessage.objects.create(
            customer=customer,
            contact=contact,
            channel=channel,
            purpose=purpose.strip()[:50],
            recipient=address,
            recipient_index=_index(channel, address),
            subject=subject,
            body=body,
            related_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
            related_id=str(obj.pk) if obj is not None else "",
            day=day,
            created_by=actor.name,
            created_at=now,
            next_attempt_at=when,
        )
        audit.record(
            actor,
            "outbound.queued",
            message,
            after={
                "customer": customer.pk,
                "contact": contact.pk if contact else None,
                "channel": channel,
                "purpose": message.purpose,
                "to": fingerprint(address),
                "due": when.isoformat(),
                "policy_version": cap.version,
            },
        )
    return message


def send_many(
    actor: Actor,
    items: list[tuple],
    *,
    channel: str = Channel.EMAIL,
    purpose: str,
    subject: str = "",
    due_at=None,
    obj=None,
) -> list:
    """`send` for many recipients at once — `items` is a list of (customer or contact, body) — with the
    same checks, made set-based: the customers' rows locked together (in key order), opt-outs and the
    daily cap read in one query each, the messages and their audit rows inserted in one statement
    each, in the caller's transaction. Returns, per item, its OutboundMessage or the DomainError that
    refused it (nothing queued for that one); a batch of greetings costs a few statements, not a few
    per greeting (CARE-1 over a million customers)."""
    if channel not in Channel.values:
        raise Invalid("outbound_channel", "发送渠道无效", "Unknown channel", fields={"channel": ["invalid"]})
    subject = " ".join((subject or "").split())
    if (
        not (purpose or "").strip()
        or (channel == Channel.EMAIL and not subject)
        or len(subject) > SUBJECT_MAX
    ):
        raise Invalid(
            "outbound_content",
            f"消息需要用途（邮件还需要主题，不超过{SUBJECT_MAX}字）",
            f"A message needs a purpose (an e-mail a subject of at most {SUBJECT_MAX} characters too)",
            fields={"purpose": ["required"]},
        )
    now = clock.now()
    ids = sorted({to.customer_id if isinstance(to, Contact) else to.pk for to, _ in items})
    related_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    results: list = [None] * len(items)
    with transaction.atomic():
        customers = {
            c.pk: c
            for c in Customer.objects.select_for_update(of=("self",))
            .select_related("unit")
            .filter(pk__in=ids, destroyed_at__isnull=True)
            .order_by("pk")
        }
        opted = set(OptOut.objects.filter(customer_id__in=ids).values_list("customer_id", flat=True))
        planned, caps = [], {}
        for n, (to, body) in enumerate(items):
            contact = to if isinstance(to, Contact) else None
            customer = customers.get(contact.customer_id if contact else to.pk)
            body = (body or "").strip()
            try:
                if customer is None or (not actor.is_system and not may_view(actor, customer)):
                    raise NotFound("客户", "customer")
                if not body or len(body) > BODY_MAX:
                    raise Invalid(
                        "outbound_content",
                        f"消息正文不能为空，不超过{BODY_MAX}字",
                        f"The body is required, at most {BODY_MAX} characters",
                        fields={"body": ["required"]},
                    )
                address = _recipient(customer, contact, channel)
                if customer.pk in opted:
                    raise Conflict(
                        "opted_out", "客户已退订，不能再发送消息", "The customer opted out of messages"
                    )
                when = windows.opens_at(customer.contact_window, due_at or now)
                if due_at is None and when != now:
                    raise window_closed(customer)
            except DomainError as error:
                results[n] = error
                continue
            if customer.unit_id not in caps:
                caps[customer.unit_id] = policy.lookup(CAP, at=now, unit=customer.unit)
            planned.append((n, customer, contact, address, body, when, clock.local(when).date()))
        used = {
            (row["customer_id"], row["day"]): row["n"]
            for row in OutboundMessage.objects.filter(
                customer_id__in=[p[1].pk for p in planned], day__in={p[6] for p in planned}
            )
            .exclude(status=MessageState.CANCELLED)
            .values("customer_id", "day")
            .annotate(n=Count("pk"))
        }
        messages = []
        for n, customer, contact, address, body, when, day in planned:
            cap = caps[customer.unit_id]
            if used.get((customer.pk, day), 0) >= cap.value:
                default = cap.default_not_from_seeds and not cap.edited and cap.group_value is None
                zh, en = ("（本系统默认值）", " (system default)") if default else ("", "")
                results[n] = Conflict(
                    "outbound_daily_cap",
                    f"该客户当天已有{cap.value}条消息，达到每日上限{zh}",
                    f"The customer already has {cap.value} messages that day, the daily cap{en}",
                )
                continue
            used[(customer.pk, day)] = used.get((customer.pk, day), 0) + 1
            message = OutboundMessage(
                customer=customer,
                contact=contact,
                channel=channel,
                purpose=purpose.strip()[:50],
                recipient=address,
                recipient_index=_index(channel, address),
                subject=subject,
                body=body,
                related_type=related_type,
                related_id=str(obj.pk) if obj is not None else "",
                day=day,
                created_by=actor.name,
                created_at=now,
                next_attempt_at=when,
            )
            results[n] = message
            messages.append((message, cap))
        OutboundMessage.objects.bulk_create([m for m, _ in messages])
        audit.record_many(
            actor,
            "outbound.queued",
            [
                (
                    m,
                    {
                        "customer": m.customer_id,
                        "contact": m.contact_id,
                        "channel": channel,
                        "purpose": m.purpose,
                        "to": fingerprint(m.recipient),
                        "due": m.next_attempt_at.isoformat(),
                        "policy_version": cap.version,
                    },
                )
                for m, cap in messages
            ],
        )
    return results


# ---- opting out (退订) ------------------------------------------------------------------------


def unsubscribe_token(customer) -> str:
    return signing.dumps(customer.pk, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(customer) -> str:
    return f"{settings.KEFU_SITE_URL}/outbound/unsubscribe/{unsubscribe_token(customer)}/"


def customer_of_token(token: str):
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return Customer.objects.filter(pk=pk).first()


def opt_out(actor: Actor, customer, *, source: str) -> bool:
    """Record the customer's 退订; True when it is new. Queued messages are cancelled by the sweep."""
    with transaction.atomic():
        row, created = OptOut.objects.get_or_create(
            customer=customer, defaults={"source": source, "at": clock.now()}
        )
        if created:
            audit.record(actor, "outbound.opted_out", row, after={"customer": customer.pk, "source": source})
    return created


def reply_received(number: str, text: str) -> int:
    """A text the customer sent back (the gateway's callback): a 退订 keyword opts out every customer
    with that number, as customer or contact. Returns how many were opted out."""
    if text.strip().upper() not in KEYWORDS:
        return 0
    index = blind_index(number)
    ids = set(Customer.objects.filter(phone_index=index).values_list("pk", flat=True))
    ids |= set(Contact.objects.filter(phone_index=index).values_list("customer_id", flat=True))
    return sum(
        opt_out(Actor.system("sms gateway"), customer, source="keyword")
        for customer in Customer.objects.filter(pk__in=ids)
    )


# ---- delivery receipts ----------------------------------------------------------------------


def receipt_received(key: str, state: str) -> bool:
    """The gateway's delivery receipt for message `key`; True when it changed something. A duplicate
    (or a late second receipt) changes nothing."""
    if state not in (Receipt.DELIVERED, Receipt.UNDELIVERED):
        raise Invalid(
            "receipt_status", "回执状态无效", "Unknown receipt status", fields={"status": ["invalid"]}
        )
    message = OutboundMessage.objects.filter(key=key, channel=Channel.SMS).first() if _uuid(key) else None
    if message is None:
        raise NotFound("消息", "message")
    with transaction.atomic():
        won = OutboundMessage.objects.filter(pk=message.pk, receipt=Receipt.NONE).update(
            receipt=state, receipt_at=clock.now()
        )
        if won:
            audit.record(Actor.system("sms gateway"), "outbound.receipt", message, after={"receipt": state})
    return bool(won)


def _uuid(text: str) -> bool:
    try:
        OutboundMessage._meta.get_field("key").to_python(text)
    except Exception:  # a malformed key is simply not ours
        return False
    return True


# ---- the worker's sweep -----------------------------------------------------------------------


def _mine(message: OutboundMessage):
    """The row as this worker claimed it: the compare-and-set of every outcome."""
    return OutboundMessage.objects.filter(
        pk=message.pk, attempts=message.attempts, status=MessageState.SENDING
    )


def _put_back(message: OutboundMessage, when, outcome: str, **fields) -> None:
    with transaction.atomic():
        if _mine(message).update(
            status=MessageState.PENDING, attempts=F("attempts") - 1, next_attempt_at=when, **fields
        ):
            decisions.record(
                message,
                rule="FUP-2",
                outcome=outcome,
                inputs={"contact_window_opens": when},
                policy_version=None,
                clause="",
            )


def _retry_at(attempts: int, now):
    if attempts >= settings.KEFU_SMS_MAX_ATTEMPTS:
        return None
    return now + timedelta(seconds=settings.KEFU_SMS_RETRY_SECONDS * 2 ** (attempts - 1))


def _deliver(message: OutboundMessage) -> str:
    customer = message.customer
    now = clock.now()
    if OptOut.objects.filter(customer=customer).exists():
        with transaction.atomic():
            if _mine(message).update(status=MessageState.CANCELLED, next_attempt_at=None):
                decisions.record(
                    message,
                    rule="FUP-2",
                    outcome="客户已退订，不再发送 / cancelled: the customer opted out",
                    inputs={},
                    policy_version=None,
                    clause="",
                )
        return "cancelled"
    try:
        when = windows.opens_at(customer.contact_window, now)
    except Invalid as exc:
        when, error = None, exc
    else:
        error = None
    if error is None and when != now:
        _put_back(message, when, "不在客户联系时段内，等到时段开始再发 / waits for the contact window")
        return "waiting"
    if (
        error is None
        and message.contact is not None
        and customer.no_third_party_contact
        and not message.contact.is_key_person
    ):
        error = Exception("no_third_party_contact (FUP-2)")
    if error is not None:
        _mine(message).update(status=MessageState.FAILED, next_attempt_at=None, last_error=str(error)[:2000])
        return "failed"
    if message.channel == Channel.EMAIL:
        try:
            with transaction.atomic():
                if not _mine(message).update(status=MessageState.SENT, sent_at=now, next_attempt_at=None):
                    return "lost"
                mail = send_external(
                    SYSTEM,
                    to=message.recipient,
                    subject=message.subject,
                    body=f"{message.body}\n\n退订：{unsubscribe_url(customer)}",
                    obj=message,
                )
                OutboundMessage.objects.filter(pk=message.pk).update(mail=mail)
        except Invalid as exc:  # an address the mail outbox refuses: trying again would not help
            _mine(message).update(status=MessageState.FAILED, next_attempt_at=None, last_error=redact(exc.en))
            return "failed"
        return "sent"
    try:
        provider_id = gateway.post(str(message.key), message.recipient, f"{message.body} 回复TD退订")
    except gateway.Rejected as exc:
        _mine(message).update(
            status=MessageState.FAILED, next_attempt_at=None, last_error=redact(str(exc))[:2000]
        )
        return "failed"
    except gateway.Unavailable as exc:
        again = _retry_at(message.attempts, now)
        text = redact(str(exc))[:2000]
        if again is None:
            _mine(message).update(status=MessageState.FAILED, next_attempt_at=None, last_error=text)
            log.warning(
                "outbound %s failed for good after %s attempts: %s", message.key, message.attempts, text
            )
            return "failed"
        _mine(message).update(status=MessageState.PENDING, next_attempt_at=again, last_error=text)
        return "retry"
    _mine(message).update(
        status=MessageState.SENT, sent_at=now, next_attempt_at=None, provider_id=provider_id, last_error=""
    )
    return "sent"


def send_due(limit: int = BATCH) -> dict:
    """One round of the worker's `outbound.send` sweep. Returns counts by outcome."""
    outcome = {"sent": 0, "retry": 0, "failed": 0, "waiting": 0, "cancelled": 0, "lost": 0}
    for pk in notification_actions.claim(OutboundMessage, limit):
        message = OutboundMessage.objects.select_related("customer", "contact").get(pk=pk)
        outcome[_deliver(message)] += 1
    return outcome


def purge_customer(actor: Actor, customer) -> int:
    """SEC-8: a destroyed customer's outbound messages keep no personal data — number or address, its
    blind index, subject, body and error text are emptied; a message not yet sent is cancelled. Called
    by the archive's destruction inside its transaction. Returns the number of messages purged."""
    messages = OutboundMessage.objects.select_for_update(of=("self",)).filter(customer=customer)
    keys = list(messages.values_list("pk", flat=True))
    if not keys:
        return 0
    rows = OutboundMessage.objects.filter(pk__in=keys)
    rows.filter(status__in=(MessageState.PENDING, MessageState.SENDING)).update(
        status=MessageState.CANCELLED, next_attempt_at=None
    )
    # the encrypted fields hold "" (an empty value is stored as is, never decrypted)
    purged = rows.update(recipient="", recipient_index="", subject="", body="", last_error="", provider_id="")
    audit.record(
        actor,
        "outbound.purged",
        customer,
        after={"messages": purged},
    )
    return purged
