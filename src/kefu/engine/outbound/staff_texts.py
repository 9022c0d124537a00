"""Text messages to staff (issue 17, NTF-1): the notifications engine's `sms` channel, sent through the
same HTTP gateway as texts to customers (`gateway.post`), by the notifications worker with its retries.

It lives here, not in kefu.engine.notifications: the outbound app already builds on notifications (its
outbox uses their claim-then-send), so the notifications engine stays free of the gateway. The outbound
app's ready() imports this module, which registers the channel with a condition read at each look-up:
it exists only while the gateway is configured (KEFU_SMS_URL and KEFU_SMS_SECRET), and a test's
`settings` fixture switches it.

SEC-1: a Delivery row keeps its address in clear, so for a text it holds no number, only the reference
`employee:<id>`; the mobile (Employee.phone, encrypted) is decrypted when the text is posted. Whether a
person has a mobile is read from its blind index, without decrypting it.
"""

from kefu.engine.notifications.channels import register
from kefu.engine.notifications.queries import preference_of
from kefu.engine.notifications.retrying import GiveUp
from kefu.engine.outbound import gateway

NAME = "sms"
REFERENCE = "employee:"
# the subject is the text: one line; a long one is cut (a text message should stay short)
TEXT_MAX = 140


class SmsChannel:
    name = NAME

    def address_for(self, user) -> str:
        employee = getattr(user, "employee", None)
        if employee is None or not employee.phone_index or not preference_of(user).sms_enabled:
            return ""  # no mobile on file, or the person opted out of texts: the inbox still has it
        return f"{REFERENCE}{employee.pk}"

    def send(self, delivery) -> None:
        employee = getattr(delivery.notification.recipient, "employee", None)
        if employee is None or delivery.address != f"{REFERENCE}{employee.pk}":
            raise GiveUp(f"delivery {delivery.pk}: the addressed employee is not the recipient's")
        number = (employee.phone or "").strip()
        if not number:
            raise GiveUp(f"delivery {delivery.pk}: no mobile on file any more")
        text = " ".join(delivery.notification.subject.split())
        if len(text) > TEXT_MAX:
            text = text[: TEXT_MAX - 1] + "…"
        try:
            # a retry carries the same key, so the gateway sends the text once
            gateway.post(key(delivery), number, text)
        except gateway.Rejected as exc:  # 4xx: trying again would not help
            raise GiveUp(str(exc)) from None


def key(delivery) -> str:
    """The idempotency key of a delivery at the gateway: stable across retries and workers."""
    return f"kefu-notification-{delivery.pk}"


register(SmsChannel(), when=gateway.configured)
