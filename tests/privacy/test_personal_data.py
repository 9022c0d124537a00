"""SEC-1: personal data never leaves the encrypted fields in clear — not in audit rows, decision
records, outboxes, task arguments or logs — and status-link secrets are stored hashed only.

The first test loads the demo with its service cases and runs every mail path over real SMTP on
127.0.0.1 (kefu's listener in, aiosmtpd out): a public submission confirmed with its status link, a
mail that opens a case and is confirmed, an agent's public reply, the customer's answer threading in,
staff notifications by e-mail. Then it reads every table of the database and the log, and finds none
of the demo's phones, ID numbers, customer e-mail addresses or the status-link secrets in clear. The
second shows that the scan fails when one plaintext value is planted.
"""

import json
import re
from datetime import UTC, datetime

import pytest
from django.db import connection

from kefu.cases import actions, actions_public
from kefu.cases.demo import load_cases
from kefu.cases.models import Case
from kefu.cases.tests.test_public_mail import mail
from kefu.core import clock
from kefu.core.models import AuditEvent
from kefu.customers.models import Customer
from kefu.engine.mail import actions_inbound, actions_outbound
from kefu.engine.mail.testing import smtp  # noqa: F401 — fixture
from kefu.engine.mail.tests.conftest import mailbox, service  # noqa: F401 — fixtures
from kefu.engine.notifications import actions as notifications
from kefu.engine.notifications.models import Delivery
from kefu.org.access import actor_for
from kefu.org.models import Unit
from tests.privacy.scan import Hit, needles, scan

CUSTOMER = "wang.pii@customer.example.net"
PUBLIC = {"name": "李女士", "phone": "13966660001", "email": "li.pii@customer.example.net"}
SECRET_IN_LINK = re.compile(r"[?&]s=([\w-]+)")


@pytest.mark.django_db(transaction=True)  # the listener stores the mail from its own thread
def test_sec1_no_personal_data_or_secret_in_clear_after_the_demo_and_every_mail_path(  # SEC-1
    request, settings, caplog
):
    clock.freeze(datetime(2026, 3, 2, 2, 0, 2, tzinfo=UTC))  # no snapshot replay outside a transaction
    settings.KEFU_PUBLIC_DEFAULT_UNIT = "hc-realty"
    request.getfixturevalue("demo")
    inbox, outbox = request.getfixturevalue("mailbox"), request.getfixturevalue("smtp")
    load_cases(request.getfixturevalue("admin_actor"))

    submitted = actions_public.submit(  # the web form: a status link shown and mailed
        unit=Unit.objects.get(code="hc-realty"),
        kind="complaint",
        title="物业服务投诉",
        description="楼道灯坏了一个月。",
        contact=PUBLIC,
        ip="203.0.113.7",
    )
    first = mail("咨询交房时间", "3 号楼何时交房？", message_id="<p1@customer.example.net>", sender=CUSTOMER)
    inbox.send(first, sender=CUSTOMER)  # mail-in: a new case, confirmed with its status link
    assert actions_inbound.dispatch_due()["handled"] == 1
    case = Case.objects.get(channel="email", title="咨询交房时间")
    actions.comment(actor_for(case.owner.user, origin="test"), case, "您好，预计六月交房。", public=True)
    assert actions_outbound.send_due(limit=100)["failed"] == 0
    reply = outbox.messages[-1]
    answer = mail(
        "Re: 交房",
        "好的，谢谢。",
        message_id="<p2@customer.example.net>",
        sender=CUSTOMER,
        in_reply_to=reply["Message-ID"],
    )
    inbox.send(answer, sender=CUSTOMER)  # the customer's answer threads into the case
    assert actions_inbound.dispatch_due()["handled"] == 1
    assert case.comments.filter(from_customer=True, message_id="<p2@customer.example.net>").exists()
    notifications.deliver_due(limit=500)  # staff notifications by e-mail
    assert Delivery.objects.filter(channel="email", status="sent").exists()

    bodies = [m.get_body(("plain",)).get_content() for m in outbox.messages]
    secrets = {submitted.secret, *(s for body in bodies for s in SECRET_IN_LINK.findall(body))}
    assert len(secrets) >= 2  # the web submission's link and the e-mail confirmation's
    assert {CUSTOMER, PUBLIC["email"]} <= {a for m in outbox.envelopes for a in m["rcpt"]}
    found = needles(CUSTOMER, PUBLIC["phone"], PUBLIC["email"], *secrets)
    assert {"13901010001", PUBLIC["phone"], CUSTOMER} <= found and len(found) > 100
    hits = scan(found)
    assert not hits, "\n".join(map(str, hits))
    logged = caplog.text.lower()
    assert not [n for n in found if n.lower() in logged]  # aiosmtpd logs every envelope at INFO


@pytest.mark.django_db
def test_sec1_the_scan_finds_a_plaintext_phone_planted_in_an_audit_row(demo):  # SEC-1
    found = needles()
    assert scan(found) == []  # the demo itself keeps everything encrypted or fingerprinted
    phone = Customer.objects.exclude(phone="").order_by("pk").first().phone
    event = AuditEvent.objects.order_by("-seq").first()
    planted = json.dumps({"phone": phone})
    cast = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE core_auditevent SET after = {cast} WHERE id = %s", [planted, event.pk])
    assert scan(found) == [Hit("core_auditevent", "after", phone)]
