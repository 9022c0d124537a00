"""Signed checkpoints of the audit chain, kept outside the database (SEC-6).

A checkpoint says "row `seq` of the chain had hash `hash` at time `at`", signed with an HMAC under the
checkpoint key (`crypto.audit_key`, never in the database). It is one line of text:

    kefu-audit-checkpoint v1 seq=1234 hash=<64 hex> at=2026-03-02T02:00:00+00:00 sig=<64 hex>

`publish()` appends it to the append-only file settings.AUDIT_CHECKPOINT_FILE and writes it to the log;
the worker does so every settings.KEFU_AUDIT_CHECKPOINT_MINUTES and `kefu audit checkpoint` on demand,
printing it for operators to copy elsewhere. `kefu audit verify` compares the chain with them: someone
who cut the tail of the chain and rewrote its head in the database cannot hide it from a checkpoint
taken before, and cannot forge a new one.

A checkpoint names the latest *sealed* row (one with a hash), so that it holds unchanged when rows
are chained after their commit by a sealer rather than inside `audit.record()`.
"""

import hashlib
import hmac
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from kefu.core import clock
from kefu.core.audit import GENESIS
from kefu.core.crypto import audit_key
from kefu.core.models import AuditEvent

log = logging.getLogger("kefu.audit")

MARK = "kefu-audit-checkpoint v1"
_LINE = re.compile(
    re.escape(MARK)
    + r" seq=(?P<seq>\d{1,19}) hash=(?P<hash>[0-9a-f]{64}) at=(?P<at>\S+) sig=(?P<sig>[0-9a-f]{64})"
)


class CheckpointError(ValueError):
    """A text that should hold a checkpoint does not."""


def _sign(body: str) -> str:
    return hmac.new(audit_key("checkpoint"), body.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str
    sig: str

    @property
    def body(self) -> str:
        return f"{MARK} seq={self.seq} hash={self.hash} at={self.at}"

    @property
    def line(self) -> str:
        return f"{self.body} sig={self.sig}"

    def signed(self) -> bool:
        return hmac.compare_digest(self.sig, _sign(self.body))


def make() -> Checkpoint:
    """A signed checkpoint of the latest sealed row (seq 0 and the genesis hash for an empty chain)."""
    last = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").values_list("seq", "hash").first()
    seq, row_hash = last or (0, GENESIS)
    unsigned = Checkpoint(seq, row_hash, clock.now().isoformat(), "")
    return Checkpoint(seq, row_hash, unsigned.at, _sign(unsigned.body))


def publish() -> Checkpoint:
    """Make a checkpoint, append it to the checkpoint file (created 0600) and write it to the log."""
    checkpoint = make()
    path = Path(settings.AUDIT_CHECKPOINT_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="ascii") as fh:
        fh.write(checkpoint.line + "\n")
    log.info("audit checkpoint: %s", checkpoint.line)
    return checkpoint


def parse(text: str) -> Checkpoint:
    """The checkpoint in one line of text (a line of the file, of the log, or as printed)."""
    match = _LINE.search(text)
    if match is None:
        raise CheckpointError(f"not a kefu audit checkpoint: {text.strip()[:120]!r}")
    return Checkpoint(int(match["seq"]), match["hash"], match["at"], match["sig"])


def read(source: str | Path) -> list[Checkpoint]:
    """Every checkpoint in a file (lines without the mark are skipped), or the one line `source`."""
    if MARK in str(source) and not Path(source).is_file():
        return [parse(str(source))]
    path = Path(source)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise CheckpointError(f"cannot read checkpoints from {path}: {exc.strerror}") from exc
    return [parse(line) for line in lines if MARK in line]


def published() -> list[Checkpoint]:
    """The checkpoints of this machine's checkpoint file (none when it does not exist yet)."""
    path = Path(settings.AUDIT_CHECKPOINT_FILE)
    return read(path) if path.exists() else []


def set_aside() -> Path | None:
    """Rename the checkpoint file (kept, with a time suffix) when the whole database is wiped on purpose
    (`kefu demo reset`): its checkpoints describe a chain that no longer exists."""
    path = Path(settings.AUDIT_CHECKPOINT_FILE)
    if not path.exists():
        return None
    kept = path.with_name(f"{path.name}.{clock.now():%Y%m%dT%H%M%S}")
    path.rename(kept)
    log.warning("audit checkpoints of the wiped database kept as %s", kept)
    return kept
