"""CPU seconds of a changing set of processes, from /proc (Linux), for bench/peer.py.

What a product costs per item is the CPU of its server processes (the gunicorn master and workers,
and kefu's worker) plus the CPU of the PostgreSQL backends connected to its database. Backends and
workers come and go, so a meter samples the set in the background: a process present at the start
counts from its value then, one that appears later from zero, one that disappears with its last
sampled value. The pure parts (parse_stat, descendants, the meter's accounting with a fake reader)
are tested in tests/bench/test_peer_harness.py.
"""

import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def parse_stat(text: str) -> tuple[int, int]:
    """(parent pid, utime + stime in clock ticks) of a /proc/<pid>/stat line. The command name (field 2)
    is in parentheses and may contain spaces and parentheses, so fields are counted after the last ')'."""
    rest = text[text.rindex(")") + 2 :].split()
    # rest[0] is field 3 (state): field n is rest[n - 3]; ppid is field 4, utime 14, stime 15
    return int(rest[1]), int(rest[11]) + int(rest[12])


def read_stat(pid: int) -> tuple[int, int] | None:
    try:
        return parse_stat(Path(f"/proc/{pid}/stat").read_text())
    except (OSError, ValueError, IndexError):
        return None


def parents() -> dict[int, int]:
    """pid → parent pid of every process visible in /proc."""
    found = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            stat = read_stat(int(entry.name))
            if stat:
                found[int(entry.name)] = stat[0]
    return found


def descendants(roots: Iterable[int], parent_of: dict[int, int]) -> set[int]:
    """The roots and every process below them."""
    children: dict[int, list[int]] = {}
    for pid, ppid in parent_of.items():
        children.setdefault(ppid, []).append(pid)
    found: set[int] = set()
    todo = [r for r in roots if r in parent_of]
    while todo:
        pid = todo.pop()
        if pid not in found:
            found.add(pid)
            todo.extend(children.get(pid, []))
    return found


def ticks_of(pid: int) -> int | None:
    stat = read_stat(pid)
    return stat[1] if stat else None


class CpuMeter:
    """CPU seconds used by the processes `pids()` names, between `start()` and `stop()`.

    `pids` is asked again at every sample (every `interval` seconds in a background thread), so
    processes that appear during the window count too; `read` gives a process's CPU ticks (None when
    it is gone)."""

    def __init__(
        self,
        pids: Callable[[], Iterable[int]],
        *,
        read: Callable[[int], int | None] = ticks_of,
        ticks_per_second: int = CLOCK_TICKS,
        interval: float = 0.25,
    ):
        self.pids = pids
        self.read = read
        self.ticks_per_second = ticks_per_second
        self.interval = interval
        self.baseline: dict[int, int] = {}
        self.last: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def sample(self) -> dict[int, int]:
        seen = {}
        for pid in self.pids():
            ticks = self.read(pid)
            if ticks is not None:
                seen[pid] = ticks
        with self._lock:
            self.last.update(seen)
        return seen

    def start(self, *, background: bool = True) -> None:
        self.last = {}
        self.baseline = self.sample()
        if background:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def stop(self) -> float:
        """CPU seconds used in the window."""
        if self._thread:
            self._stop.set()
            self._thread.join()
            self._thread = None
        self.sample()
        return self.used()

    def used(self) -> float:
        with self._lock:
            ticks = sum(max(0, last - self.baseline.get(pid, 0)) for pid, last in self.last.items())
        return ticks / self.ticks_per_second
