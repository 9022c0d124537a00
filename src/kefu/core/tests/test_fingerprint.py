"""SEC-1 helpers for what is never erased (audit rows, error texts, logs): a keyed fingerprint, the
redaction of addresses and mobile numbers in free text, and a JSON field encrypted at rest."""

import pytest

from kefu.core import audit
from kefu.core.crypto import fingerprint, redact
from kefu.customers.models import Customer


def test_sec1_a_fingerprint_is_keyed_short_and_ignores_case_and_blanks(settings):  # SEC-1
    fp = fingerprint("Wang@Customer.example.net ")
    assert fp == fingerprint("wang@customer.example.net") and fp.startswith("fp:") and len(fp) == 13
    assert fingerprint("") == "" and fingerprint(["a@b.cn"]) == fingerprint(["a@b.cn"]) != fp
    settings.DATA_KEY = "another-key-another-key-another-key"
    assert fingerprint("wang@customer.example.net") != fp  # keyed: no dictionary of known addresses


def test_sec1_redact_replaces_addresses_and_mobile_numbers_in_free_text():  # SEC-1
    text = "SMTPRecipientsRefused: {'wang@customer.example.net': (550, b'<wang@customer.example.net>')} 致电 +86 138-0000-1234"
    redacted = redact(text)
    assert "wang@" not in redacted and "1234" not in redacted
    assert redacted.count(fingerprint("wang@customer.example.net")) == 2
    assert fingerprint("13800001234") in redacted and redacted.startswith("SMTPRecipientsRefused: {'fp:")
    assert redact("order 2026-03-02, 10 items") == "order 2026-03-02, 10 items"


@pytest.mark.django_db
def test_sec1_audit_snapshots_fingerprint_encrypted_fields_with_the_same_helper():  # SEC-1
    customer = Customer(name="陈先生", phone="13812345678")
    assert audit.snapshot(customer, ["name", "phone"]) == {
        "name": "陈先生",
        "phone": fingerprint("13812345678"),
    }
