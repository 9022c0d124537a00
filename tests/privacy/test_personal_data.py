"""SEC-1: personal data never leaves the encrypted fields in clear — not in audit rows, decision
records, outboxes, task arguments or logs — and status-link secrets are stored hashed only.

The first test loads the demo with its service cases and runs every mail path over real SMTP on
127.0.0.1 (kefu's listener in, aiosmtpd out): a public submission confirmed with its status link, a
mail with an attachment that opens a case and is confirmed, an agent's public reply, the customer's
answer threading in, staff notifications by e-mail; it also attaches a file to a case, adds a key
person's e-mail address, and imports customers from workbooks (one waiting, one refused with an error
report). Then it reads every table of the database, every stored file and the log, and finds none of
the demo's phones, ID numbers, customer e-mail addresses or the status-link secrets in clear — nor
those of the workbooks and files. The other tests show that the scan fails when one plaintext value is
planted: in an audit row, in a workbook column, in a file.
"""

import email
import io
import json
import re
from datetime import UTC, datetime
from email.policy import SMTP

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from openpyxl import Workbook

from kefu.cases import actions
from kefu.cases.actions import attachments as actions_attachments
from kefu.cases.actions import public as actions_public
from kefu.cases.demo import load_cases
from kefu.cases.models import Case
from kefu.cases.tests import test_api_attachments
from kefu.cases.tests.test_public_mail import mail
from kefu.core import clock
from kefu.core.models import AuditEvent
from kefu.customers import actions as customers_actions
from kefu.customers.governance import actions as governance
from kefu.customers.models import Customer
from kefu.engine.mail import actions_inbound, actions_outbound
from kefu.engine.mail.testing import smtp  # noqa: F401 — fixture
from kefu.engine.mail.tests.conftest import mailbox, service  # noqa: F401 — fixtures
from kefu.engine.notifications import actions as notifications
from kefu.engine.notifications.models import Delivery
from kefu.org.access import actor_for
from kefu.org.models import Unit
from tests.privacy.scan import Hit, needles, scan, scan_files

CUSTOMER = "wang.pii@customer.example.net"
PUBLIC = {"name": "李女士", "phone": "13966660001", "email": "li.pii@customer.example.net"}
SECRET_IN_LINK = re.compile(r"[?&]s=([\w-]+)")
media = test_api_attachments.media  # fixture: stored files under tmp_path
KEY_PERSON = "zhou.zong@customer.example.net"  # a key person's address (customers.Contact.email)
IMPORTED = {"phone": "13966660051", "id_number": "110101199003074514"}  # only in a workbook
WAITING = {"phone": "13966660052", "id_number": "11010119900307453X"}  # in a workbook not yet imported
MAILED_PHONE, ATTACHED_PHONE = "13966660053", "13966660054"  # in files: a mail's, a case's attachment


def workbook(*rows) -> bytes:
    book = Workbook()
    book.active.append(["名称", "类型", "手机", "证件号/信用代码", "受众类别"])
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_attachment(raw: bytes, name: str, text: str) -> bytes:
    message = email.message_from_bytes(raw, policy=SMTP)
    message.add_attachment(text, filename=name)
    return message.as_bytes(policy=SMTP)


def import_workbooks(demo) -> None:
    """Two imports by 宋宇 (customer.import): one refused with an error report, one still queued."""
    importer, unit = actor_for(demo["songyu"].user, origin="test"), Unit.objects.get(code="realty-cs")
    refused = workbook(
        ["导入甲", "个人", IMPORTED["phone"], IMPORTED["id_number"], "B"], ["", "个人", "", "", "B"]
    )
    job = governance.start_import(importer, unit=unit, filename="客户.xlsx", content=refused, existing="skip")
    assert governance.run_import(job.pk).error_report  # refused: nothing imported, a report kept
    waiting = workbook(["导入乙", "个人", WAITING["phone"], WAITING["id_number"], "B"])
    governance.start_import(importer, unit=unit, filename="客户2.xlsx", content=waiting, existing="skip")


@pytest.mark.django_db(transaction=True)  # the listener stores the mail from its own thread
def test_sec1_no_personal_data_or_secret_in_clear_after_the_demo_and_every_mail_path(  # SEC-1
    request, settings, caplog
):
    clock.freeze(datetime(2026, 3, 2, 2, 0, 2, tzinfo=UTC))  # no snapshot replay outside a transaction
    settings.KEFU_PUBLIC_DEFAULT_UNIT = "hc-realty"
    files = request.getfixturevalue("media")
    demo = request.getfixturevalue("demo")
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
    first = with_attachment(
        mail("咨询交房时间", "3 号楼何时交房？", message_id="<p1@customer.example.net>", sender=CUSTOMER),
        "联系方式.txt",
        f"我的手机 {MAILED_PHONE}",
    )
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
    owner = actor_for(case.owner.user, origin="test")
    note = SimpleUploadedFile("来电记录.txt", f"客户来电，手机 {ATTACHED_PHONE}".encode())
    actions_attachments.attach(owner, case, note)
    organisation = Customer.objects.filter(kind="organisation").order_by("pk").first()
    customers_actions.add_contact(
        request.getfixturevalue("admin_actor"), organisation, name="周总", email=KEY_PERSON
    )
    import_workbooks(demo)

    bodies = [m.get_body(("plain",)).get_content() for m in outbox.messages]
    secrets = {submitted.secret, *(s for body in bodies for s in SECRET_IN_LINK.findall(body))}
    assert len(secrets) >= 2  # the web submission's link and the e-mail confirmation's
    assert {CUSTOMER, PUBLIC["email"]} <= {a for m in outbox.envelopes for a in m["rcpt"]}
    found = needles(
        CUSTOMER, PUBLIC["phone"], PUBLIC["email"], *secrets, *IMPORTED.values(), *WAITING.values()
    )
    found |= {MAILED_PHONE, ATTACHED_PHONE, KEY_PERSON}
    assert {"13901010001", PUBLIC["phone"], CUSTOMER, KEY_PERSON} <= found and len(found) > 100
    stored = [p.name for p in files.rglob("*") if p.is_file()]
    assert {"联系方式.txt"} <= set(stored) and len(stored) >= 4  # raw mail x2, its attachment, the case's
    hits = scan(found) + scan_files(files, found)
    assert not hits, "\n".join(map(str, hits))
    logged = caplog.text.lower()
    assert not [n for n in found if n.lower() in logged]  # aiosmtpd logs every envelope at INFO


@pytest.mark.django_db
def test_sec1_the_scan_finds_a_plaintext_phone_planted_in_an_audit_row(demo):  # SEC-1
    found = needles()
    assert scan(found) == []  # the demo itself keeps everything encrypted or fingerprinted
    phone = Customer.objects.exclude(phone="").order_by("pk").first().phone
    event = AuditEvent.objects.order_by("-id").first()
    planted = json.dumps({"phone": phone})
    cast = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE core_auditevent SET after = {cast} WHERE id = %s", [planted, event.pk])
    assert scan(found) == [Hit("core_auditevent", "after", phone)]


@pytest.mark.django_db
def test_sec1_the_scan_finds_a_phone_in_a_workbook_column_or_a_file_kept_in_clear(
    demo, media, frozen
):  # SEC-1
    phone = Customer.objects.exclude(phone="").order_by("pk").first().phone
    found = needles()
    governance.start_import(  # sealed at rest
        actor_for(demo["songyu"].user, origin="test"),
        unit=Unit.objects.get(code="realty-cs"),
        filename="客户.xlsx",
        content=workbook(["导入丙", "个人", phone, "", "B"]),
        existing="skip",
    )
    assert scan(found) == []
    with connection.cursor() as cursor:  # the workbook as it was stored before: a zip, in clear
        cursor.execute(
            "UPDATE customer_governance_importjob SET content = %s", [workbook(["丙", "个人", phone])]
        )
    (media / "cases").mkdir()
    (media / "cases" / "planted.txt").write_text(f"电话 {phone}")
    assert scan(found) == [Hit("customer_governance_importjob", "content", phone)]
    assert scan_files(media, found) == [Hit("media", "cases/planted.txt", phone)]
