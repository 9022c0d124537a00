"""CASE-2 e-mail in: mail to the service address is received over real SMTP (aiosmtpd on 127.0.0.1),
decoded (GB2312/GBK, base64, quoted-printable, multipart, HTML only) and stored once per Message-ID."""

import base64
import smtplib
from email.mime.text import MIMEText

import pytest

from kefu.core import sealed
from kefu.core.errors import Invalid
from kefu.engine.mail import actions_inbound
from kefu.engine.mail.api import InboundMail, InboundState, ingest
from kefu.engine.mail.parsing import parse
from kefu.engine.mail.tests.conftest import SERVICE, chinese_mail


@pytest.mark.django_db(transaction=True)
def test_a_gb2312_multipart_mail_with_attachment_becomes_one_inbound_mail(mailbox):  # CASE-2
    raw = chinese_mail()
    assert mailbox.send(raw) == {}
    mail = InboundMail.objects.get()
    assert mail.subject == "投诉：热水器漏水"
    assert mail.text == "你好，\n新买的热水器漏水，请尽快处理。"  # text/plain preferred over text/html
    assert mail.from_address == "wang@customer.example.net" and mail.from_name == "王先生"
    assert mail.envelope_from == "customer@example.net" and mail.envelope_to == [SERVICE]
    assert mail.message_id == "<m1@customer.example.net>"
    assert mail.state == InboundState.RECEIVED and mail.next_attempt_at is not None
    (attachment,) = mail.attachments.all()
    assert (attachment.name, attachment.content_type, attachment.size) == ("发票.pdf", "application/pdf", 13)
    assert attachment.skipped == "" and sealed.read_stored(attachment.file) == b"%PDF-1.4 fake"
    assert sealed.read_stored(mail.raw) == raw and mail.raw_size == len(raw)  # sealed on disk (SEC-1)


@pytest.mark.django_db(transaction=True)
def test_the_same_message_twice_is_stored_once(mailbox):  # CASE-2
    mailbox.send(chinese_mail())
    mailbox.send(chinese_mail())  # same Message-ID (new MIME boundaries: other bytes)
    assert InboundMail.objects.count() == 1
    # without a Message-ID the content decides: the same bytes are the same message
    raw = chinese_mail(message_id="")
    first, second = ingest(raw, envelope_to=[SERVICE]), ingest(raw, envelope_to=[SERVICE])
    assert first.pk == second.pk and first.message_id.startswith("<sha256-")
    assert InboundMail.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_an_unknown_recipient_is_refused_with_550_and_nothing_is_stored(mailbox):  # CASE-2
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        mailbox.send(chinese_mail(), to=["someone-else@example.com"])
    assert refused.value.recipients["someone-else@example.com"][0] == 550
    # a message to a service address and a stranger: only the service address is taken
    assert mailbox.send(chinese_mail(), to=[SERVICE, "stranger@example.com"]) == {
        "stranger@example.com": (550, b"5.1.1 Recipient not accepted here")
    }
    assert InboundMail.objects.get().envelope_to == [SERVICE]


def _raw(body: bytes, headers: str) -> bytes:
    return headers.replace("\n", "\r\n").encode() + b"\r\n" + body


def test_gbk_labelled_gb2312_quoted_printable_and_html_only_are_decoded():  # CASE-2
    # GBK characters (堃) in a part labelled GB2312, base64: decoded as GB18030, nothing lost
    gbk = base64.b64encode("王堃的投诉".encode("gbk"))
    parsed = parse(
        _raw(
            gbk,
            "From: a@example.net\nSubject: =?GB2312?B?"
            + base64.b64encode("退款".encode("gb2312")).decode()
            + "?=\nContent-Type: text/plain; charset=gb2312\nContent-Transfer-Encoding: base64\n",
        )
    )
    assert parsed.subject == "退款" and parsed.text == "王堃的投诉"
    # UTF-8 quoted-printable
    qp = MIMEText("质量问题 — 请回电", "plain", "utf-8")
    qp.replace_header("Content-Transfer-Encoding", "quoted-printable")
    qp.set_payload("=E8=B4=A8=E9=87=8F=E9=97=AE=E9=A2=98 =E2=80=94 =E8=AF=B7=E5=9B=9E=E7=94=B5")
    assert parse(qp.as_bytes()).text == "质量问题 — 请回电"
    # HTML only: the text of the HTML, without script or style
    html = MIMEText(
        "<html><head><style>p{}</style></head><body><p>您好</p><script>x()</script><div>订单&nbsp;123</div></body></html>",
        "html",
        "utf-8",
    )
    assert parse(html.as_bytes()).text == "您好\n\n订单 123"


def test_chinese_headers_labelled_wrongly_or_not_at_all_are_read():  # CASE-2
    # GBK in a GB2312 encoded word (subject and sender name), raw 8-bit GBK, an RFC 2047 file name
    word = "=?GB2312?B?" + base64.b64encode("王堃投诉".encode("gbk")).decode() + "?="
    filename = "=?GB2312?B?" + base64.b64encode("堃的照片.jpg".encode("gbk")).decode() + "?="
    raw = (
        (
            f"From: {word} <wk@example.net>\r\nTo: =?UTF-8?B?"
            + base64.b64encode("客服".encode()).decode()
            + f"?= <{SERVICE}>, b@example.net\r\nSubject: {word}\r\nX-Note: \r\n"
            "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n"
            "--B\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        ).encode()
        + "正文是 GBK 没有标注字符集".encode("gbk")
        + (
            f'\r\n--B\r\nContent-Type: image/jpeg; name="{filename}"\r\n'
            f'Content-Disposition: attachment; filename="{filename}"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
            "/9j/\r\n--B--\r\n"
        ).encode()
    )
    parsed = parse(raw)
    assert parsed.subject == "王堃投诉" and parsed.from_name == "王堃投诉"
    assert parsed.from_address == "wk@example.net" and parsed.to_addresses == [SERVICE, "b@example.net"]
    assert parsed.text == "正文是 GBK 没有标注字符集"
    assert [a.name for a in parsed.attachments] == ["堃的照片.jpg"]
    eight_bit = parse(b"Subject: " + "退货申请".encode("gbk") + b"\r\n\r\nx")
    assert eight_bit.subject == "退货申请"


def test_a_message_without_any_parseable_header_still_parses():  # CASE-2
    parsed = parse(b"just some text\r\n")
    assert parsed.message_id.startswith("<sha256-") and parsed.subject == ""


@pytest.mark.django_db
def test_auto_replies_bounces_and_own_mail_are_stored_but_ignored(service, handler):  # CASE-2
    cases = {
        "auto-submitted": ("Auto-Submitted: auto-replied\n", "c@example.net", "c@example.net"),
        "precedence": ("Precedence: bulk\n", "c@example.net", "c@example.net"),
        "mailer-daemon": ("", "MAILER-DAEMON@mx.example.net", "mx@example.net"),
        "null sender": ("", "c@example.net", ""),
        "our own": ("", SERVICE, SERVICE),
    }
    for n, (extra, sender, envelope) in enumerate(cases.values()):
        raw = _raw(b"ok", f"From: {sender}\nMessage-ID: <auto-{n}@x>\nSubject: Re: x\n{extra}")
        mail = ingest(raw, envelope_from=envelope, envelope_to=[SERVICE])
        assert mail.state == InboundState.IGNORED, extra or sender
        assert mail.error.startswith("ignored: ") and mail.next_attempt_at is None
    ordinary = ingest(
        _raw(b"ok", "From: c@example.net\nMessage-ID: <ok@x>\nSubject: hi\n"), envelope_from=None
    )
    assert ordinary.state == InboundState.RECEIVED  # sender unknown (MTA pipe): not a bounce
    assert actions_inbound.dispatch_due() == {"handled": 1, "retry": 0, "failed": 0}
    assert handler.calls == ["<ok@x>"]


@pytest.mark.django_db
def test_attachment_limits_come_from_the_policy_pack(service, monkeypatch):  # CASE-2
    # mail.attachment_max_size 10 MB, mail.attachments_max 20, mail.message_max_size 25 MB: scaled down
    monkeypatch.setattr(actions_inbound, "MEGABYTE", 1000)  # 1 "MB" = 1000 bytes here
    from email.mime.application import MIMEApplication
    from email.mime.multipart import MIMEMultipart

    message = MIMEMultipart()
    message["Message-ID"] = "<att@x>"
    message["From"] = "c@example.net"
    message.attach(MIMEText("附件", "plain", "utf-8"))
    for name, size in [("big.pdf", 10_001), ("run.exe", 10), *[(f"p{n}.png", 10) for n in range(21)]]:
        part = MIMEApplication(b"x" * size)
        part.add_header("Content-Disposition", "attachment", filename=name)
        message.attach(part)
    mail = ingest(message.as_bytes(), envelope_to=[SERVICE])
    skipped = dict(mail.attachments.values_list("name", "skipped"))
    assert skipped["big.pdf"] == "too large" and skipped["run.exe"] == "type not allowed"
    assert [skipped[f"p{n}.png"] for n in range(21)] == [""] * 20 + ["too many attachments"]
    assert not mail.attachments.get(name="run.exe").file
    with pytest.raises(Invalid) as caught:
        ingest(b"Subject: x\r\n\r\n" + b"y" * 25_000, envelope_to=[SERVICE])
    assert caught.value.code == "mail_too_large"
