"""CUS-9 customer timeline: a registry of sources, each returning entries for one customer.

Another app adds its own entries (claims, cases, revisits …) from its AppConfig.ready():

    from kefu.customers.timeline import Entry, register

    def claim_entries(actor, customer) -> list[Entry]:
        return [Entry(at=c.created_at, kind="claim", title="报备", detail=str(c), link=f"/claims/{c.pk}/")
                for c in Claim.objects.filter(customer=customer)]

    register("claims", claim_entries)

A source receives the Actor (to apply its own scope) and a customer the actor may already see, and
must return a list of `Entry` with aware datetimes. Entries are merged newest first. Keep a source to
a fixed number of queries (no N+1): the customer page calls every source.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Entry:
    at: datetime
    kind: str  # short code: change, contact, audit, decision, claim, case …
    title: str
    detail: str = ""
    link: str = ""
    by: str = ""


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


# ---------------------------------------------------------------- the archive's own sources


def _changes(actor, customer) -> list[Entry]:
    return [
        Entry(
            at=c.changed_at,
            kind="change",
            title=str(_("Field changed")),
            detail=c.field
            if c.field in ("phone", "id_number", "address", "emergency_contact")
            else f"{c.field}: {c.old} → {c.new}",
            by=c.changed_by.get_username() if c.changed_by else "system",
        )
        for c in customer.changes.select_related("changed_by")[:200]
    ]


def _contacts(actor, customer) -> list[Entry]:
    return [
        Entry(
            at=r.at, kind="contact", title=str(_("Contact recorded")), detail=r.note, by=r.by.get_username()
        )
        for r in customer.contact_records.select_related("by")[:200]
    ]


def _audit(actor, customer) -> list[Entry]:
    from kefu.core.models import AuditEvent

    events = AuditEvent.objects.filter(object_type="customers.customer", object_id=str(customer.pk)).order_by(
        "-seq"
    )[:200]
    return [Entry(at=e.at, kind="audit", title=e.action, by=e.actor_name) for e in events]


def _decisions(actor, customer) -> list[Entry]:
    from kefu.core.models import Decision

    rows = Decision.objects.filter(
        content_type=ContentType.objects.get_for_model(customer), object_id=str(customer.pk)
    ).order_by("-made_at")[:200]
    return [Entry(at=d.made_at, kind="decision", title=d.rule, detail=d.outcome) for d in rows]


register("customers.changes", _changes)
register("customers.contacts", _contacts)
register("customers.audit", _audit)
register("customers.decisions", _decisions)
