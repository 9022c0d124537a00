"""SEC-1 / SEC-2: personal data encrypted at rest, findable by blind index, masked for display."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kefu.core import crypto


@given(st.text(max_size=200))
def test_encryption_round_trips_and_hides_the_value(value):  # SEC-1
    sealed = crypto.encrypt(value)
    assert crypto.decrypt(sealed) == value
    if len(value) > 3:
        assert value not in sealed


def test_same_value_encrypts_differently_each_time():  # SEC-1
    assert crypto.encrypt("13800001234") != crypto.encrypt("13800001234")


@pytest.mark.parametrize("variant", ["13800001234", "138-0000-1234", "+86 138 0000 1234", "0086 13800001234"])
def test_blind_index_matches_normalised_phone_variants(variant):  # SEC-1
    assert crypto.blind_index(variant) == crypto.blind_index("13800001234")
    assert crypto.blind_index("13800001235") != crypto.blind_index("13800001234")


def test_tampered_ciphertext_is_refused():  # SEC-1
    sealed = crypto.encrypt("13800001234")
    broken = sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB")
    with pytest.raises(Exception):  # noqa: B017 — AES-GCM raises InvalidTag
        crypto.decrypt(broken)


@pytest.mark.parametrize(
    ("raw", "masked"),
    [("13812341234", "138****1234"), ("+86 138 1234 1234", "138****1234"), ("12345", "*****")],
)
def test_masking(raw, masked):  # SEC-2
    assert crypto.mask_phone(raw) == masked
