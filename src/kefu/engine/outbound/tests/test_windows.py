"""FUP-2: reading a customer's contact window, and when it next opens."""

from datetime import UTC, datetime, time

import pytest

from kefu.core import clock
from kefu.core.errors import Invalid
from kefu.engine.outbound import windows


def test_window_texts_as_offices_write_them():  # FUP-2
    assert windows.parse("") == []
    assert windows.parse("12:00–14:00") == [(time(12), time(14))]
    assert windows.parse("9：00至11:30，18:00-20:00") == [(time(9), time(11, 30)), (time(18), time(20))]
    assert windows.parse("9:00-11:00 14:00~17:00") == [(time(9), time(11)), (time(14), time(17))]
    assert windows.parse("20:00-24:00") == [(time(20), time(23, 59, 59))]


@pytest.mark.parametrize("text", ["中午", "12:00", "25:00-26:00", "12:00–14:00 下午"])
def test_an_unreadable_window_is_a_clear_error(text):  # FUP-2
    with pytest.raises(Invalid) as error:
        windows.parse(text)
    assert error.value.code == "contact_window_unreadable" and "12:00–14:00" in error.value.zh


def test_when_the_window_opens():  # FUP-2
    at = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
    assert windows.opens_at("", at) == at
    assert windows.opens_at("09:00-11:00", at) == at
    assert clock.local(windows.opens_at("12:00-14:00", at)).isoformat()[:16] == "2026-03-02T12:00"
    assert clock.local(windows.opens_at("08:00-09:30", at)).isoformat()[:16] == "2026-03-03T08:00"
    assert windows.opens_at("22:00-11:00", at) == at  # past midnight: 10:00 is inside
    assert clock.local(windows.opens_at("22:00-06:00", at)).isoformat()[:16] == "2026-03-02T22:00"
