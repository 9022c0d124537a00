"""A closed-loop HTTP load generator and the arithmetic of its figures (issue 11, bench/peer.py).

Closed loop: each client is a thread with its own `http.client` connection (kept open as long as the
server allows it; gunicorn's sync workers close after each response and `http.client` reconnects)
that sends its next request as soon as the previous answer arrived. A run has a warm-up, then a
measured window [t0, t1]: only requests that complete inside the window count, and the window's
callbacks (`on_start`, `on_stop`) let the caller snapshot CPU at exactly t0 and t1.

The pure parts (percentile, summarise, ratio, verdict) are tested in tests/bench/test_peer_harness.py.
"""

import http.client
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

# A request: method, path, headers, body (bytes or None).
Request = tuple[str, str, dict, bytes | None]


@dataclass
class Sample:
    ended: float  # time.perf_counter() when the answer was read
    seconds: float  # latency
    status: int  # HTTP status; 0 = transport error


@dataclass
class Summary:
    ok: int = 0  # 2xx answers completed inside the window
    window: float = 0.0  # seconds measured
    latencies: list[float] = field(default_factory=list)  # seconds, of the 2xx answers, sorted
    statuses: dict[int, int] = field(default_factory=dict)  # every answer in the window by status

    @property
    def rate(self) -> float:
        return self.ok / self.window if self.window > 0 else 0.0

    @property
    def p50_ms(self) -> float:
        return percentile(self.latencies, 50) * 1000

    @property
    def p99_ms(self) -> float:
        return percentile(self.latencies, 99) * 1000

    def merge(self, other: "Summary") -> "Summary":
        """Two runs of the same product and client count pooled: counts and windows add up."""
        statuses = dict(self.statuses)
        for status, n in other.statuses.items():
            statuses[status] = statuses.get(status, 0) + n
        return Summary(
            ok=self.ok + other.ok,
            window=self.window + other.window,
            latencies=sorted(self.latencies + other.latencies),
            statuses=statuses,
        )


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile of sorted `values` (0 for none): the smallest value with at least q % of
    the values at or below it."""
    if not values:
        return 0.0
    rank = max(1, math.ceil(q / 100 * len(values)))
    return values[min(rank, len(values)) - 1]


def summarise(samples: list[Sample], t0: float, t1: float) -> Summary:
    """The answers that completed inside [t0, t1]."""
    inside = [s for s in samples if t0 <= s.ended <= t1]
    statuses: dict[int, int] = {}
    for s in inside:
        statuses[s.status] = statuses.get(s.status, 0) + 1
    latencies = sorted(s.seconds for s in inside if 200 <= s.status < 300)
    return Summary(ok=len(latencies), window=t1 - t0, latencies=latencies, statuses=statuses)


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator ÷ denominator, None when either is missing or the denominator is 0."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def verdict(value: float | None, target: float, *, higher_is_better: bool = True) -> str:
    """'ok' when `value` meets `target`, 'MISSED' when not, '—' without a value."""
    if value is None:
        return "—"
    met = value >= target if higher_is_better else value <= target
    return "ok" if met else "MISSED"


def add_up(total: dict[str, float], more: dict[str, float]) -> dict[str, float]:
    """Per-group figures of two runs added together."""
    return {key: total.get(key, 0.0) + more.get(key, 0.0) for key in total.keys() | more.keys()}


def per_item_ms(cpu_seconds: dict[str, float], items: int) -> dict[str, float] | None:
    """CPU milliseconds per item, by group and in total ("total"); None when nothing completed."""
    if not items:
        return None
    figures = {group: seconds * 1000 / items for group, seconds in cpu_seconds.items()}
    figures["total"] = sum(cpu_seconds.values()) * 1000 / items
    return figures


def fmt(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def closed_loop(
    host: str,
    port: int,
    clients: int,
    seconds: float,
    make_request: Callable[[], Request],
    *,
    warmup: float = 2.0,
    on_start: Callable[[], None] | None = None,
    on_stop: Callable[[], None] | None = None,
    timeout: float = 120.0,
) -> Summary:
    """Drive `clients` closed-loop clients for `warmup + seconds`; the answers of the measured window."""
    samples: list[Sample] = []
    lock = threading.Lock()
    stop = threading.Event()

    def client() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
        mine: list[Sample] = []
        while not stop.is_set():
            with lock:
                method, path, headers, body = make_request()
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()  # reconnects on the next request
                status = 0
            ended = time.perf_counter()
            mine.append(Sample(ended=ended, seconds=ended - started, status=status))
        conn.close()
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    begun = time.perf_counter()
    for t in threads:
        t.start()
    t0 = begun + warmup
    time.sleep(max(0.0, t0 - time.perf_counter()))
    t0 = time.perf_counter()
    if on_start:
        on_start()
    time.sleep(seconds)
    if on_stop:
        on_stop()
    t1 = time.perf_counter()
    stop.set()
    for t in threads:
        t.join()
    return summarise(samples, t0, t1)
