"""SEC-1 in the mail queues: a customer's address, name, subject, text and a status-link secret are
stored encrypted, audit rows and error texts name them by fingerprint only, and the daily purge
empties what was sent or handled once `mail.copy_retention` has passed (the threading survives)."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.utils.module_loading import import_string

from kefu.core import clock, sealed
from kefu.core.actor import Actor
from kefu.core.crypto import fingerprint
from kefu.core.models import AuditEvent
from kefu.engine.mail import actions_inbound, actions_outbound, actions_retention
from kefu.engine.mail.api import OutboundMail, find_reference, ingest, send_external
from kefu.engine.mail.tests.conftest import SERVICE, chinese_mail
from kefu.engine.policy import api as policy
from kefu.engine.schedules.actions import sweep_one
from kefu.engine.schedules.registry import SCHEDULES

CUSTOMER = "wang@customer.example.net"
SECRET = "s3cr3t-status-link-token-0123456789"


def raw_row(table: str, pk: int) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])
        return dict(zip([c[0] for c in cursor.description], cursor.fetchone(), strict=True))


@pytest.fixture
def staff(admin_user):
    return Actor(user=admin_user, origin="test")


@pytest.mark.django_db
def test_sec1_the_outbox_row_and_its_audit_hold_no_address_subject_or_secret_in_clear(
    service, staff, admin_user
):  # SEC-1
    mail = send_external(
        staff,
        to=CUSTOMER,
        cc=["li@customer.example.net"],
        subject="[KF-1] 王先生的投诉",
        body=f"查看进度 https://kefu.example/service/status/KF-1/?s={SECRET}",
        html=f"<a href='?s={SECRET}'>进度</a>",
        obj=admin_user,
    )
    stored = raw_row("mail_outboundmail", mail.pk)
    for column in ("to", "cc", "subject", "body", "html"):
        assert str(stored[column]).startswith("v1:"), column
    mail.refresh_from_db()
    assert mail.to == [CUSTOMER] and mail.cc == ["li@customer.example.net"] and SECRET in mail.body
    event = AuditEvent.objects.get(action="mail.queued", object_id=str(mail.pk))
    assert event.after == {
        "to": [fingerprint(CUSTOMER)],
        "cc": [fingerprint("li@customer.example.net")],
        "subject": fingerprint("[KF-1] 王先生的投诉"),
        "message_id": mail.message_id,
    }
    assert event.object_repr == mail.message_id


@pytest.mark.django_db
def test_sec1_a_received_message_is_stored_encrypted_and_audited_by_fingerprint(service):  # SEC-1
    mail = ingest(chinese_mail(), envelope_from=CUSTOMER, envelope_to=[SERVICE])
    stored = raw_row("mail_inboundmail", mail.pk)
    for column in (
        "envelope_from",
        "from_address",
        "from_name",
        "to_addresses",
        "subject",
        "text",
        "headers",
    ):
        assert str(stored[column]).startswith("v1:"), column
    mail.refresh_from_db()
    assert mail.from_address == CUSTOMER and mail.from_name == "王先生" and "漏水" in mail.text
    event = AuditEvent.objects.get(action="mail.received", object_id=str(mail.pk))
    assert event.after["from"] == fingerprint(CUSTOMER) and event.after["subject"] == fingerprint(
        mail.subject
    )
    assert CUSTOMER not in event.object_repr and "漏水" not in event.object_repr


@pytest.mark.django_db
def test_sec1_the_raw_message_and_its_kept_attachments_are_sealed_on_disk(service):  # SEC-1
    raw = chinese_mail()
    mail = ingest(raw, envelope_from=CUSTOMER, envelope_to=[SERVICE])
    (attachment,) = mail.attachments.all()
    for stored, plain, readable in (
        (mail.raw, raw, b"Wang@Customer.example.net"),
        (attachment.file, b"%PDF-1.4 fake", b"%PDF-1.4 fake"),
    ):
        with open(stored.path, "rb") as handle:  # the bytes on disk
            on_disk = handle.read()
        assert readable in plain and readable not in on_disk and on_disk.startswith(sealed.MAGIC)
        assert sealed.read_stored(stored) == plain


class Refusing:
    """An SMTP server that refuses every recipient, quoting the address (as Postfix does)."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"


@pytest.mark.django_db
def test_sec1_a_refused_address_is_fingerprinted_in_the_stored_error_and_the_log(
    service, smtp, staff, frozen, caplog
):  # SEC-1
    smtp.stop()
    smtp.collector = Refusing()
    smtp.start()
    mail = send_external(staff, to=[CUSTOMER], subject="回访", body="您好")
    assert actions_outbound.send_due()["retry"] == 1
    mail.refresh_from_db()
    assert mail.last_error.startswith(f"SMTPRecipientsRefused: {{'{fingerprint(CUSTOMER)}': (550")
    assert CUSTOMER not in mail.last_error
    for _ in range(5):  # until it fails for good, which is logged
        clock.advance(timedelta(hours=2))
        actions_outbound.send_due()
    mail.refresh_from_db()
    logged = " ".join(r.getMessage() for r in caplog.records if r.name.startswith("kefu"))
    assert mail.status == "failed" and "failed for good" in logged and CUSTOMER not in logged


@pytest.mark.django_db
def test_sec1_a_handler_error_quoting_an_address_is_stored_fingerprinted(service, handler):  # SEC-1
    def fail(inbound):
        raise ValueError(f"cannot answer {inbound.from_address} / 13812345678")

    handler.effect = fail
    mail = ingest(chinese_mail(), envelope_from=CUSTOMER, envelope_to=[SERVICE])
    assert actions_inbound.dispatch_due()["retry"] == 1
    mail.refresh_from_db()
    assert CUSTOMER not in mail.error and "13812345678" not in mail.error
    assert fingerprint(CUSTOMER) in mail.error and fingerprint("13812345678") in mail.error


@pytest.mark.django_db
def test_sec1_rows_written_before_the_migration_are_encrypted_by_it(service, staff):  # SEC-1
    migration = import_string("kefu.engine.mail.migrations.0003_encrypt_content.encrypt_existing")
    mail = send_external(staff, to=[CUSTOMER], subject="回访", body="您好")
    with connection.cursor() as cursor:  # as the rows were before: JSON text and plain text
        cursor.execute(
            'UPDATE mail_outboundmail SET "to" = %s, subject = %s, body = %s WHERE id = %s',
            [f'["{CUSTOMER}"]', "回访", "您好", mail.pk],
        )
    migration(None, SimpleNamespace(connection=connection))
    assert str(raw_row("mail_outboundmail", mail.pk)["to"]).startswith("v1:")
    mail.refresh_from_db()
    assert (mail.to, mail.subject, mail.body) == ([CUSTOMER], "回访", "您好")
    migration(None, SimpleNamespace(connection=connection))  # a second run changes nothing
    mail.refresh_from_db()
    assert mail.to == [CUSTOMER]


@pytest.mark.django_db
def test_sec1_sent_and_handled_mail_is_emptied_after_the_retention_and_still_threads(
    service, smtp, staff, admin_user, handler, frozen, django_capture_on_commit_callbacks, client
):  # SEC-1
    entry = policy.lookup("mail.copy_retention")
    assert (entry.rule, entry.value, entry.default_not_from_seeds) == ("SEC-1", 30, True)
    retention = entry.duration()
    sent = send_external(staff, to=[CUSTOMER], subject="回复", body=f"?s={SECRET}", obj=admin_user)
    failed = send_external(staff, to=["x@customer.example.net"], subject="回复", body="您好")
    actions_outbound.send_due()
    OutboundMail.objects.filter(pk=failed.pk).update(status="failed")
    handler.effect = lambda inbound: admin_user
    received = ingest(chinese_mail(), envelope_from=CUSTOMER, envelope_to=[SERVICE])
    assert actions_inbound.dispatch_due()["handled"] == 1
    received.refresh_from_db()
    raw = received.raw
    assert raw.storage.exists(raw.name)

    clock.advance(retention - timedelta(minutes=1))
    assert actions_retention.purge() == {"outbound": 0, "inbound": 0}  # not yet
    clock.advance(timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        run = sweep_one(SCHEDULES["mail.purge"], clock.now() + timedelta(days=1))  # the daily schedule
    assert run is not None and run.status == "done"
    sent.refresh_from_db()
    received.refresh_from_db()
    assert sent.purged_at and (sent.to, sent.subject, sent.body) == ([], "", "")
    assert received.purged_at and (received.from_address, received.text, received.headers) == ("", "", {})
    assert not received.raw and not raw.storage.exists(raw.name)
    assert OutboundMail.objects.get(pk=failed.pk).body == "您好"  # kept for an administrator's retry
    purged = AuditEvent.objects.get(action="mail.purged")
    assert (purged.after["outbound"], purged.after["inbound"]) == (1, 1)
    # a late answer to the purged message still finds the record it belongs to
    (reference,) = find_reference(headers={"In-Reply-To": sent.message_id})
    assert reference.object == admin_user
    assert actions_retention.purge() == {"outbound": 0, "inbound": 0}  # a purged row stays purged
    client.force_login(admin_user)
    for box in ("in", "out"):
        assert "内容已按保留期清除" in client.get(f"/mail/?box={box}").content.decode()
