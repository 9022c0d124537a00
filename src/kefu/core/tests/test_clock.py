"""The clock: frozen and advanced by tests; shifted through a file by end-to-end harnesses."""

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import pytest

from kefu.core import clock


def test_freeze_and_advance():
    at = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    clock.freeze(at)
    assert clock.now() == at
    assert clock.advance(timedelta(days=8)) == at + timedelta(days=8)


def _now_in_child(env_extra: dict) -> datetime:
    code = "from kefu.core import clock; print(clock.now().isoformat(), clock.shifted_by_file())"
    env = {"PATH": "/usr/bin:/bin", **env_extra}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    stamp, flag = out.stdout.split()
    return datetime.fromisoformat(stamp), flag == "True"


def test_offset_file_moves_another_process(tmp_path):
    offset_file = tmp_path / "clock-offset"
    before = datetime.now(UTC)
    unshifted, flag = _now_in_child({"KEFU_CLOCK_OFFSET_FILE": str(offset_file)})
    assert flag and unshifted - before < timedelta(minutes=1)  # no file yet: real time
    offset_file.write_text(str(8 * 86400))
    shifted, _ = _now_in_child({"KEFU_CLOCK_OFFSET_FILE": str(offset_file)})
    assert timedelta(days=8) <= shifted - before < timedelta(days=8, minutes=1)
    plain, flag = _now_in_child({})
    assert not flag and plain - before < timedelta(minutes=1)


def test_local_is_now_in_the_settings_zone(settings):
    clock.freeze(datetime(2026, 3, 1, 17, 30, tzinfo=UTC))  # 01:30 on 2 March in Shanghai
    here = clock.local()
    assert here == clock.now() and str(here.tzinfo) == settings.TIME_ZONE == "Asia/Shanghai"
    assert (here.day, here.hour, here.minute) == (2, 1, 30)
    assert clock.today() == date(2026, 3, 2)


def test_local_of_an_instant_and_the_zone_follows_settings(settings):
    at = datetime(2026, 3, 1, 15, 59, tzinfo=UTC)
    assert clock.local(at).date() == date(2026, 3, 1) and clock.local(at).hour == 23
    assert clock.local(at + timedelta(minutes=1)).date() == date(2026, 3, 2)
    settings.TIME_ZONE = "UTC"
    assert clock.local(at).hour == 15 and str(clock.zone()) == "UTC"


def test_local_refuses_a_naive_datetime():
    with pytest.raises(ValueError):
        clock.local(datetime(2026, 3, 1, 12, 0))
