"""CUS-9 customer timeline: a registry of sources, each returning entries for one customer.

Another app adds its own entries (claims, cases, revisits …) from its AppConfig.ready():

    from kefu.customers.timeline import Entry, register

    def claim_entries(actor, customer) -> list[Entry]:
        return [Entry(at=c.created_at, kind="claim", title="报备", detail=str(c), link=f"/claims/{c.pk}/")
                for c in Claim.objects.filter(customer=customer)]

    register("claims", claim_entries)

A source receives the Actor (to apply its own scope) and a customer the actor may already see, and
must return a list of `Entry` with aware datetimes. Entries are merged newest first; `by_day` groups
them by local (Asia/Shanghai) day for the page. Keep a source to a fixed number of queries (no N+1):
the customer page calls every source. An app whose audited actions touch the customer itself gives
them a label with `label_action(code, label)`.

This module is the registry only, below every source (it imports none); the archive's own sources
are in `customers/entries.py`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext_lazy as _

from kefu.core import clock


@dataclass(frozen=True)
class Entry:
    at: datetime
    kind: str  # short code: change, contact, audit, decision, claim, case …
    title: str
    detail: str = ""
    link: str = ""
    by: str = ""

    @property
    def kind_label(self) -> str:
        label = KIND_LABELS.get(self.kind)
        return str(label) if label is not None else self.kind


KIND_LABELS = {
    "change": _("Data change"),
    "contact": _("Contact record"),
    "audit": _("Action"),
    "decision": _("Automatic decision"),
    "claim": _("Registration (报备)"),
    "case": _("Service case"),
    "revisit": _("Revisit"),
    "survey": _("Satisfaction survey"),
    "greeting": _("Customer care"),
    "message": _("Message to the customer"),
}

Source = Callable[[object, object], list[Entry]]
_SOURCES: dict[str, Source] = {}


def register(name: str, source: Source) -> None:
    """Add (or replace) the source `name`."""
    _SOURCES[name] = source


def collect(actor, customer) -> list[Entry]:
    entries: list[Entry] = []
    for source in list(_SOURCES.values()):
        entries.extend(source(actor, customer))
    return sorted(entries, key=lambda e: e.at, reverse=True)


def by_day(entries: list[Entry]) -> list[tuple[date, list[Entry]]]:
    """Entries (newest first) grouped by their local day, the newest day first."""
    days: list[tuple[date, list[Entry]]] = []
    for entry in sorted(entries, key=lambda e: e.at, reverse=True):
        day = clock.local(entry.at).date()
        if days and days[-1][0] == day:
            days[-1][1].append(entry)
        else:
            days.append((day, [entry]))
    return days


# ---------------------------------------------------------------- labels

# audited actions on a customer, by code; None = not shown here (another source shows it better)
ACTION_LABELS: dict[str, object] = {
    "customer.create": _("Archive created"),
    "customer.update": None,  # the field changes, with their values
    "customer.contact_record": None,  # the contact record, with its note
    "customer.declassify": None,  # the field change and the SEC-3 decision
    "customer.confidentiality_period": None,
    "read.sensitive": None,  # reads are in the audit log, not the customer's story
    "customer.change_request": _("Change request sent for verification"),
    "customer.change_approve": _("Change request approved"),
    "customer.change_reject": _("Change request rejected"),
    "customer.contact_add": _("Contact person added"),
    "customer.archive_complete": _("Basic archive marked complete"),
    "customers.customer.assign": _("Specialist assigned"),
    "customers.customer.contact": _("First contact made"),
    "workflow.escalate": _("Escalated"),
    "customer.merge": _("Merged with a duplicate"),
    "customer.merged_into": _("Merged into another customer"),
    "customer.destroy": _("Personal data destroyed"),
}


def label_action(code: str, label) -> None:
    """Give the audited action `code` (on a customer) its human label; None hides it here."""
    ACTION_LABELS[code] = label
