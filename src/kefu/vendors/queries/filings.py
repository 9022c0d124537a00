"""Vendor filings (VEN-1): the read paths, always within the caller's scope (vendors.view, vendors.manage or
vendors.review over the subsidiary the vendor serves); a filing out of scope answers 404. Also the rows the
clocks and the daily reminders pick up, and who is told."""

from datetime import date, datetime

from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.core.scopes import scope_q
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Role, Unit, UnitKind
from kefu.vendors.models import (
    Filing,
    FilingStatus,
    Inspection,
    Material,
    MaterialKind,
    Report,
    ReportDue,
    ReportReview,
    Supplement,
)

VIEW = "vendors.view"
MANAGE = "vendors.manage"
REVIEW = "vendors.review"
ID_LIMIT = 2**31
REQUIRED = tuple(MaterialKind)  # every material the seed lists is required before submission


def _pk(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return number if 0 < number < ID_LIMIT else 0


def filings(actor: Actor, *, status: str = ""):
    grants = [g for code in (VIEW, MANAGE, REVIEW) for g in access.grants(actor, code)]
    condition = scope_q(grants, unit_path="unit__path", owner=None)
    if condition is None:
        return Filing.objects.none()
    rows = Filing.objects.filter(condition).select_related("unit")
    if status in FilingStatus.values:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-pk")


def filing(actor: Actor, pk) -> Filing:
    number = _pk(pk)
    found = filings(actor).filter(pk=number).first() if number else None
    if found is None:
        raise NotFound("外包客服备案", "vendor filing")
    return found


def material(found: Filing, pk) -> Material:
    number = _pk(pk)
    row = found.materials.filter(pk=number).first() if number else None
    if row is None:
        raise NotFound("备案材料", "filing material")
    return row


def materials_by_kind(found: Filing) -> list[tuple[str, str, list[Material]]]:
    """(kind, label, its files) for every material kind, in the seed's order."""
    rows: dict[str, list[Material]] = {k.value: [] for k in MaterialKind}
    for row in found.materials.all():
        rows.setdefault(row.kind, []).append(row)
    return [(k.value, k.label, rows[k.value]) for k in MaterialKind]


def missing(found: Filing) -> list[str]:
    """The required material kinds the filing has no file of, in the seed's order."""
    present = set(found.materials.values_list("kind", flat=True))
    return [k.value for k in REQUIRED if k.value not in present]


def open_supplement(found: Filing) -> Supplement | None:
    return found.supplements.filter(answered_at__isnull=True, expired_at__isnull=True).first()


def valid_certificate(found: Filing):
    return found.certificates.filter(lapsed_at__isnull=True).first()


def next_due(found: Filing) -> ReportDue | None:
    return found.dues.filter(submitted_at__isnull=True).order_by("seq").first()


def next_inspection(found: Filing) -> Inspection | None:
    return found.inspections.filter(done_at__isnull=True).order_by("seq").first()


def pending_reports(found: Filing) -> list[Report]:
    return list(found.reports.filter(review=ReportReview.PENDING).select_related("due"))


def may(actor: Actor, code: str, found: Filing) -> bool:
    """Whether a page offers a write riding on `code` for this filing (no raising)."""
    return access.may_write(actor, code, unit=found.unit, owner_id=None)


def subsidiaries_for(actor: Actor, code: str = MANAGE) -> list[Unit]:
    """The subsidiaries the actor may file for (their grants' reach)."""
    return [
        u
        for u in Unit.objects.filter(kind=UnitKind.SUBSIDIARY).order_by("code")
        if access.may_write(actor, code, unit=u, owner_id=None)
    ]


def subsidiary_named(value, field: str = "unit") -> Unit:
    number = _pk(value)
    found = Unit.objects.filter(pk=number, kind=UnitKind.SUBSIDIARY).first() if number else None
    if found is None:
        raise NotFound("子公司", "subsidiary")
    return found


def holders(unit: Unit, code: str) -> list:
    """Active people whose roles give `code` over `unit` (who is told of a filing's deadlines)."""
    codes = [r.code for r in Role.objects.all() if code in (r.permissions or [])]
    people = (
        Employee.objects.filter(
            role_assignments__role__code__in=codes, status=EmploymentStatus.ACTIVE, user__isnull=False
        )
        .select_related("user")
        .distinct()
        .order_by("number")
    )
    return [
        e.user
        for e in people
        if access.write_grants(access.actor_for(e.user, origin="resolver"), code)
        and access.may_write(access.actor_for(e.user, origin="resolver"), code, unit=unit, owner_id=None)
    ]


# ------------------------------------------------------------------ what the clocks pick up


def expired_supplement_ids(now: datetime) -> list[tuple[int, int]]:
    return list(
        Supplement.objects.filter(answered_at__isnull=True, expired_at__isnull=True, due_at__lte=now)
        .order_by("due_at")
        .values_list("pk", "filing_id")[:500]
    )


def lapsing_due_ids(today: date) -> list[int]:
    return list(
        ReportDue.objects.filter(
            submitted_at__isnull=True,
            lapsed_at__isnull=True,
            lapse_after__lt=today,
            filing__status=FilingStatus.APPROVED,
        )
        .order_by("lapse_after")
        .values_list("pk", flat=True)[:500]
    )


def dues_to_remind(today: date, until: date):
    return ReportDue.objects.filter(
        submitted_at__isnull=True,
        lapsed_at__isnull=True,
        due_on__gte=today,
        due_on__lte=until,
        filing__status=FilingStatus.APPROVED,
    ).select_related("filing__unit")


def inspections_to_remind(today: date, until: date):
    return Inspection.objects.filter(
        done_at__isnull=True, due_on__lte=until, filing__status=FilingStatus.APPROVED
    ).select_related("filing__unit")


def report(found: Filing, pk) -> Report:
    number = _pk(pk)
    row = found.reports.filter(pk=number).first() if number else None
    if row is None:
        raise NotFound("定期报送", "report")
    return row


def certificate(found: Filing):
    """The valid certificate, else the latest one (marked 失效); 404 when none was ever issued."""
    row = valid_certificate(found) or found.certificates.order_by("-issued_at", "-pk").first()
    if row is None:
        raise NotFound("备案证书", "certificate")
    return row


def pending_report(found: Filing) -> Report:
    """The late report of a lapsed filing that waits for review (at most one at a time)."""
    row = found.reports.filter(review=ReportReview.PENDING).first()
    if row is None:
        raise NotFound("待审核的逾期报送", "late report to review")
    return row
