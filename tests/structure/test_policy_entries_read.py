"""Every policy pack entry is read by some code (issue 13): a number in the pack that nothing reads is
either a module not built yet — named below, by key, with the module it waits for — or a mistake
(a number written in code instead, or an entry left behind). The test fails on any other unread
entry, and on a key listed here that code now reads or that the pack no longer has.

"Read" means the key appears as text in the product's source (Python or templates; tests and
migrations excepted) — or, for `sla.*`, that the case SLA chooser (`kefu.cases.sla.candidates`) can
produce it from a case's kind family, priority, customer tier and channel.
"""

from itertools import product
from pathlib import Path

from kefu.cases import lifecycle, sla
from kefu.cases.models import Channel, Family, Priority
from kefu.customers.models import Tier
from kefu.engine.policy import pack

SRC = Path(__file__).resolve().parents[2] / "src" / "kefu"

# Entries of modules not built yet, by name: key → what reads it once built.
NOT_YET_BUILT = {
    # quality and insights (QA-1, QC-1, KPI-1)
    # workforce: shifts, handover, leave, attendance (WFM-1, HO-1, LV-2…4, ATT-1)
    # emergency (EMG-3…5, DRL-1, WX-1)
    # plan-drafting quotes (FEE-1), the long tail
}


def _product_source() -> str:
    files = [
        p
        for p in SRC.rglob("*")
        if p.suffix in (".py", ".html") and "tests" not in p.parts and "migrations" not in p.parts
    ]
    return "\n".join(p.read_text(encoding="utf-8") for p in files)


def _sla_keys() -> set[str]:
    """Every key the case SLA chooser can try, over every combination of a case's facts."""
    keys: set[str] = set()
    for clock in lifecycle.CLOCKS:
        for family, priority, tier, channel in product(
            Family.values, Priority.values, Tier.values, Channel.values
        ):
            facts = {"family": family, "priority": priority, "tier": tier, "channel": channel}
            keys.update(sla.candidates(clock.name, facts))
    return keys


def _unread(entries: list[dict]) -> list[str]:
    source, sla_keys = _product_source(), _sla_keys()
    return [e["key"] for e in entries if e["key"] not in source and e["key"] not in sla_keys]


def test_policy_pack_honesty_every_entry_is_read_by_code():  # POL-1, issue 13
    entries, _, _ = pack.read()
    unread = _unread(entries)
    unexpected = sorted(set(unread) - set(NOT_YET_BUILT))
    assert not unexpected, (
        f"pack entries no code reads: {unexpected} — read them from the pack where the number is used, "
        "or (a module not built yet) name them in NOT_YET_BUILT"
    )
    keys = {e["key"] for e in entries}
    gone = sorted(set(NOT_YET_BUILT) - keys)
    assert not gone, f"NOT_YET_BUILT names keys the pack no longer has: {gone}"
    now_read = sorted(set(NOT_YET_BUILT) - set(unread))
    assert not now_read, f"NOT_YET_BUILT names keys code now reads — take them off the list: {now_read}"


def test_the_check_sees_an_entry_nobody_reads():  # issue 13
    entries, _, _ = pack.read()
    ghost = {**entries[0], "key": "customers.nobody_reads_this"}
    assert _unread([*entries, ghost])[-1:] == ["customers.nobody_reads_this"]
    assert "sla.complaint_first_response" in _sla_keys() and "sla.nonsense_first_response" not in _sla_keys()
