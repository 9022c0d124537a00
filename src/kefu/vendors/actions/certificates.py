"""Filing certificates (VEN-1, "通过审核后…颁发备案证书"): issued on approval and on reinstatement, marked
失效 when the filing lapses. Called inside the caller's transaction, under the filing's lock."""

from kefu.core import audit, clock, keys
from kefu.core.actor import Actor
from kefu.vendors.models import Certificate, Filing


def _number(row: Certificate) -> str:
    return f"WB-{clock.local(row.issued_at):%Y}-{row.pk:06d}"


def issue(actor: Actor, filing: Filing) -> Certificate:
    """A certificate for `filing`: its number comes from its own key (kefu.core.keys — a sequence on
    PostgreSQL), so no counter row is locked; the database keeps the number unique and at most one valid
    certificate per filing."""
    row = Certificate(filing=filing, issued_at=clock.now(), issued_by=actor.user)
    row.pk = keys.next_id(Certificate)
    row.number = _number(row)
    row.save(force_insert=True)
    audit.record(actor, "vendors.certificate.issue", row, after={"number": row.number, "filing": filing.pk})
    return row


def lapse(actor: Actor, filing: Filing, reason: str) -> Certificate | None:
    """Mark the filing's valid certificate 失效 (kept, with when and why)."""
    row = filing.certificates.filter(lapsed_at__isnull=True).first()
    if row is None:
        return None
    row.lapsed_at = clock.now()
    row.lapse_reason = reason[:300]
    row.save(update_fields=["lapsed_at", "lapse_reason"])
    audit.record(actor, "vendors.certificate.lapse", row, after={"number": row.number}, reason=reason)
    return row
