"""CASE-2: the mail queues page for administrators (audit.view for the whole group) — received and
sent mail with state and error, a retry button for what failed; zh-Hans by default."""

import io

import pytest

from kefu.cli import main as kefu_cli
from kefu.core.actor import Actor
from kefu.engine.mail.api import InboundMail, InboundState, OutboundMail, OutboundState, ingest, send_external
from kefu.engine.mail.tests.conftest import SERVICE, chinese_mail


@pytest.fixture
def queues(service, admin_user):
    for n in range(3):
        ingest(chinese_mail(message_id=f"<v{n}@x>"), envelope_from="c@example.net", envelope_to=[SERVICE])
    InboundMail.objects.filter(message_id="<v0@x>").update(
        state=InboundState.FAILED, error="RuntimeError: boom"
    )
    staff = Actor(user=admin_user, origin="test")
    sent = [send_external(staff, to=f"c{n}@example.net", subject=f"回复 {n}", body="好的") for n in range(3)]
    OutboundMail.objects.filter(pk=sent[0].pk).update(status=OutboundState.FAILED, last_error="SMTP down")


@pytest.mark.django_db
def test_the_page_lists_both_queues_for_an_administrator(
    client, admin_user, queues, django_assert_max_num_queries
):  # CASE-2
    client.force_login(admin_user)
    with django_assert_max_num_queries(12):
        page = client.get("/mail/")
    text = page.content.decode()
    assert page.status_code == 200
    assert (
        "邮件收发" in text
        and "投诉：热水器漏水" in text
        and "处理失败" in text
        and "RuntimeError: boom" in text
    )
    assert text.count("发票.pdf") == 3 and text.count("/retry/") == 1
    for n in range(5):  # more rows: still the same number of queries (attachments prefetched)
        ingest(chinese_mail(message_id=f"<more{n}@x>"), envelope_from="c@example.net", envelope_to=[SERVICE])
    with django_assert_max_num_queries(12):
        assert client.get("/mail/").status_code == 200
    out = client.get("/mail/?box=out&state=failed").content.decode()
    assert "SMTP down" in out and "回复 0" in out and "回复 1" not in out and "发送失败" in out


@pytest.mark.django_db
def test_retry_buttons_make_failed_mail_due_again(client, admin_user, queues):  # CASE-2
    client.force_login(admin_user)
    inbound = InboundMail.objects.get(message_id="<v0@x>")
    outbound = OutboundMail.objects.get(status=OutboundState.FAILED)
    assert client.post(f"/mail/in/{inbound.pk}/retry/").status_code == 302
    assert client.post(f"/mail/out/{outbound.pk}/retry/").status_code == 302
    inbound.refresh_from_db()
    outbound.refresh_from_db()
    assert inbound.state == InboundState.RECEIVED and outbound.status == OutboundState.PENDING
    # only a failed message can be retried; an unknown one is a 404
    assert client.post(f"/mail/in/{inbound.pk}/retry/").status_code == 400
    assert client.post("/mail/out/999999/retry/").status_code == 404


@pytest.mark.django_db
def test_people_without_group_wide_audit_view_are_refused(client, demo, queues):  # CASE-2
    for username in ("zhaomin", "lina"):  # an agent; a supervisor with a department-wide audit.view
        client.force_login(demo[username].user)
        assert client.get("/mail/").status_code == 403
        failed = InboundMail.objects.get(state=InboundState.FAILED)
        assert client.post(f"/mail/in/{failed.pk}/retry/").status_code == 403
    assert InboundMail.objects.filter(state=InboundState.FAILED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_kefu_mail_in_stdin_stores_a_piped_message(service, monkeypatch, capsys):  # CASE-2
    raw = chinese_mail(message_id="<piped@x>")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw)))
    monkeypatch.setenv("SENDER", "wang@customer.example.net")
    assert kefu_cli(["mail-in", "--stdin"]) == 0
    mail = InboundMail.objects.get(message_id="<piped@x>")
    assert mail.envelope_from == "wang@customer.example.net" and mail.envelope_to == [SERVICE]
    assert mail.subject == "投诉：热水器漏水"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"Subject: x\r\n\r\n" + b"y" * 30_000_000)))
    assert kefu_cli(["mail-in", "--stdin"]) == 65  # too large: the MTA bounces it
    assert InboundMail.objects.count() == 1
