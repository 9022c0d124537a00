"""CASE-2 threading: a reply finds its record by the Message-IDs kefu sent or handled, or by a
reference token such as [KF-20261130-0001] in the subject or body."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType

from kefu.core.actor import Actor
from kefu.engine.mail.api import InboundMail, find_reference, ingest, reference_token, send_external
from kefu.engine.mail.tests.conftest import SERVICE, chinese_mail


def test_reference_tokens_are_bracketed_and_found_in_subject_then_body():  # CASE-2
    assert reference_token("KF", "20261130-0001") == "[KF-20261130-0001]"
    assert reference_token("KF", "KF-20261130-0001") == "[KF-20261130-0001]"
    found = find_reference(
        "Re: 回复：[KF-20261130-0001] 热水器漏水",
        "见 KF-20261130-0002，另 XKF-1、KF-20261130-0001x 不算\n> KF-20261130-0001",
        prefix="KF",
    )
    assert [(r.source, r.token) for r in found] == [
        ("subject", "KF-20261130-0001"),
        ("body", "KF-20261130-0002"),
    ]
    # the caller's own pattern
    custom = find_reference("工单 TS-0042", pattern=re.compile(r"TS-\d{4}"))
    assert [r.token for r in custom] == ["TS-0042"]
    assert find_reference("nothing here", "none", prefix="KF") == []


@pytest.mark.django_db
def test_in_reply_to_and_references_find_what_we_sent_or_handled(service, admin_user, demo):  # CASE-2
    staff = Actor(user=admin_user, origin="test")
    sent = send_external(staff, to="c@example.net", subject="回复", body="好的", obj=demo["zhaomin"])
    first = ingest(chinese_mail(message_id="<first@customer>"), envelope_to=[SERVICE])
    InboundMail.objects.filter(pk=first.pk).update(
        result_type=ContentType.objects.get_for_model(admin_user), result_id=str(admin_user.pk)
    )
    reply = ingest(
        (
            "From: Wang <wang@customer.example.net>\r\nReply-To: W <Home@Customer.example.net>\r\n"
            f"Message-ID: <second@customer>\r\nIn-Reply-To: {sent.message_id}\r\n"
            f"References: <first@customer> <unknown@x>\r\n {sent.message_id}\r\n"
            "Subject: Re: 回复 [KF-20261130-0001]\r\n\r\n好的"
        ).encode(),
        envelope_to=[SERVICE],
    )
    assert reply.reply_address == "home@customer.example.net"
    found = find_reference(reply.subject, reply.text, reply.thread_headers, prefix="KF")
    assert [(r.source, r.message_id, r.token) for r in found] == [
        ("in-reply-to", sent.message_id, ""),
        ("references", "<first@customer>", ""),
        ("subject", "", "KF-20261130-0001"),
    ]
    assert found[0].object == demo["zhaomin"]
    assert found[1].object == admin_user
    assert find_reference("x", "", {"In-Reply-To": "<unknown@x>"}) == []
