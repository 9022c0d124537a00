"""Policy documents (制度, DOC-1): the only code that writes them.

A policy is issued by documents.manage over its issuing unit as version 1; each change is a new version
(never an edit) that supersedes the one before and is distributed anew to every active employee of the
unit and below — earlier acknowledgements do not count for it. Each person acknowledges the version in
force. Until they do, a daily schedule reminds them — one message a day at most per person, however many
versions wait, and no oftener than every documents.ack_remind_every_days (the pack's, 本系统默认值). The
`Reminder` row (employee, day) is the claim: two workers running the schedule at once send it once.
`import_texts` loads text files (the seed documents) as policies: the first line is the title."""

from datetime import date, time, timedelta
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, PermissionDenied
from kefu.documents.actions.common import require_manage, text
from kefu.documents.models import Policy, PolicyVersion, Reading, Reminder
from kefu.documents.queries import common
from kefu.documents.queries import policies as queries
from kefu.engine.notifications.api import notify
from kefu.engine.policy import api as policy_pack
from kefu.engine.schedules.registry import Schedule, register
from kefu.org import access
from kefu.org.models import Employee, Unit

REMIND_EVERY = "documents.ack_remind_every_days"
BODY_LIMIT = 200_000
TITLE_LIMIT = 200


def _effective(value) -> date:
    if not isinstance(value, date):
        raise Invalid(
            "documents_effective", "请填写生效日期", "Give the effective date", {"effective_on": "required"}
        )
    return value


def _distribute(actor: Actor, version: PolicyVersion) -> int:
    now = clock.now()
    staff = common.staff_of([version.policy.unit])
    Reading.objects.bulk_create(Reading(version=version, employee_id=pk, sent_at=now) for pk in staff)
    users = [
        e.user for e in Employee.objects.filter(pk__in=staff, user__is_active=True).select_related("user")
    ]
    notify(
        users,
        "documents.policy_distributed",
        {"policy": version.policy.title, "number": version.number},
        obj=version,
        link=reverse("documents:policy", args=[version.policy_id]),
        channels=("inbox",),
    )
    return len(staff)


def _make_version(
    actor: Actor, policy: Policy, number: int, *, body: str, effective_on: date, note: str, source: str
) -> PolicyVersion:
    version = PolicyVersion.objects.create(
        policy=policy,
        number=number,
        effective_on=effective_on,
        body=body,
        note=note,
        source=source,
        created_at=clock.now(),
        created_by=actor.user,
    )
    distributed = _distribute(actor, version)
    audit.record(
        actor,
        "documents.policy.version",
        version,
        after={
            "policy": policy.pk,
            "number": number,
            "effective_on": effective_on.isoformat(),
            "characters": len(body),
            "distributed": distributed,
            "source": source,
        },
    )
    return version


def issue(
    actor: Actor,
    *,
    unit: Unit,
    title: str,
    body: str,
    effective_on: date,
    note: str = "",
    source: str = "",
) -> Policy:
    """DOC-1: a policy of the issuing unit, with its version 1 distributed to the unit's staff."""
    require_manage(actor, unit)
    title = text(title, "title", "制度名称", limit=TITLE_LIMIT)
    body = text(body, "body", "制度正文", limit=BODY_LIMIT)
    effective_on = _effective(effective_on)
    note = text(note, "note", "版本说明", required=False, limit=300)
    try:
        with transaction.atomic():
            policy = Policy.objects.create(
                unit=unit, title=title, created_at=clock.now(), created_by=actor.user
            )
            audit.record(actor, "documents.policy.issue", policy, after={"unit": unit.pk, "title": title})
            _make_version(
                actor, policy, 1, body=body, effective_on=effective_on, note=note, source=source[:200]
            )
    except IntegrityError:
        raise Invalid(
            "documents_policy_exists",
            "本单位已有同名制度，请发布新版本",
            "The unit has this policy",
            {"title": "exists"},
        ) from None
    return policy


def new_version(
    actor: Actor,
    policy: Policy,
    *,
    effective_on: date,
    body: str | None = None,
    note: str = "",
    source: str = "",
) -> PolicyVersion:
    """DOC-1: the next version (the body carried over when not given) supersedes the one before and is
    distributed anew: everyone acknowledges it again."""
    require_manage(actor, policy.unit)
    effective_on = _effective(effective_on)
    note = text(note, "note", "版本说明", required=False, limit=300)
    with transaction.atomic():
        policy = Policy.objects.select_for_update(of=("self",)).select_related("unit").get(pk=policy.pk)
        last = policy.versions.order_by("-number").first()
        body = text(body if body is not None else last.body, "body", "制度正文", limit=BODY_LIMIT)
        return _make_version(
            actor,
            policy,
            last.number + 1,
            body=body,
            effective_on=effective_on,
            note=note,
            source=source[:200],
        )


def acknowledge(actor: Actor, version: PolicyVersion) -> Reading:
    """DOC-1: the person confirms having read the version in force (once; later calls change nothing).
    A superseded version is not acknowledged any more: the new one is."""
    me = access.employee_of(actor.principal)
    row = Reading.objects.filter(version_id=version.pk, employee_id=getattr(me, "pk", 0)).first()
    if row is None:
        raise PermissionDenied(
            "此版本制度未下发给您，无需确认",
            "This version was not distributed to you",
            code="documents_not_recipient",
        )
    if PolicyVersion.objects.filter(policy_id=version.policy_id, number__gt=version.number).exists():
        raise Invalid(
            "documents_superseded",
            "此版本已被新版本取代，请阅读并确认最新版本",
            "This version was superseded; acknowledge the current one",
            {"version": "superseded"},
        )
    with transaction.atomic():
        updated = Reading.objects.filter(pk=row.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=clock.now()
        )
        if updated:
            audit.record(
                actor,
                "documents.policy.acknowledge",
                version,
                after={"policy": version.policy_id, "number": version.number},
            )
    row.refresh_from_db()
    return row


def _claim(employee_id: int, day: date, pending: int) -> bool:
    """The once-a-day claim: the unique (employee, day) row; False when another worker made it."""
    try:
        with transaction.atomic():
            Reminder.objects.create(employee_id=employee_id, day=day, sent_at=clock.now(), pending=pending)
    except IntegrityError:
        return False
    return True


def remind(run=None) -> int:
    """DOC-1: remind each person who has a current policy version still to acknowledge, distributed at
    least documents.ack_remind_every_days ago — once a day at most, and only when their last reminder is
    that old. Returns how many people this run reminded."""
    today = clock.today()
    every = int(policy_pack.lookup(REMIND_EVERY).value)
    pending = queries.pending_by_employee(sent_before=clock.now() - timedelta(days=every))
    if not pending:
        return 0
    recent = set(
        Reminder.objects.filter(
            employee_id__in=list(pending), day__gt=today - timedelta(days=every)
        ).values_list("employee_id", flat=True)
    )
    people = {
        e.pk: e
        for e in Employee.objects.filter(pk__in=[p for p in pending if p not in recent]).select_related(
            "user"
        )
    }
    told = 0
    for employee_id in sorted(people):
        rows = pending[employee_id]
        employee = people[employee_id]
        if employee.user is None or not employee.user.is_active:
            continue
        with transaction.atomic():
            if not _claim(employee_id, today, len(rows)):
                continue
            Reading.objects.filter(pk__in=[r["pk"] for r in rows]).update(reminders=F("reminders") + 1)
            titles = "、".join(
                f"《{r['version__policy__title']}》第 {r['version__number']} 版" for r in rows[:5]
            )
            notify(
                [employee.user],
                "documents.policy_reminder",
                {"count": len(rows), "titles": titles},
                obj=employee,
                link=reverse("documents:policies"),
                channels=("inbox", "email"),
            )
            told += 1
    return told


REMINDERS = Schedule(
    "documents.policy_reminders", "daily", run="kefu.documents.actions.policies.remind", at=time(9, 0)
)


def register_jobs() -> None:
    register(REMINDERS)


def clean_text(raw: str) -> tuple[str, str]:
    """(title, body) of a text file: the first non-empty line is the title; the body keeps the rest with
    trailing spaces removed and runs of empty lines folded into one (paragraphs read well on a phone)."""
    lines = [line.rstrip() for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise Invalid("documents_file_empty", "文件没有内容", "The file is empty", {"file": "empty"})
    title = lines[0].strip().removesuffix(".doc").removesuffix(".docx").strip()[:TITLE_LIMIT]
    body, blank = [], False
    for line in lines[1:]:
        if not line.strip():
            blank = bool(body)
            continue
        if blank:
            body.append("")
        body.append(line.strip())
        blank = False
    return title, "\n".join(body)


def import_texts(actor: Actor, *, unit: Unit, paths, effective_on: date | None = None) -> dict:
    """DOC-1: load text files as policies of `unit` (title from the first line). A title the unit already
    has gets a new version when the text changed, nothing otherwise (running it twice changes nothing)."""
    made = {"issued": 0, "versions": 0, "unchanged": 0}
    for path in sorted(Path(p) for p in paths):
        title, body = clean_text(path.read_text(encoding="utf-8"))
        existing = Policy.objects.filter(unit=unit, title=title).first()
        if existing is None:
            issue(
                actor,
                unit=unit,
                title=title,
                body=body,
                effective_on=effective_on or clock.today(),
                note="由文件导入",
                source=path.name,
            )
            made["issued"] += 1
        elif existing.versions.order_by("-number").values_list("body", flat=True).first() != body:
            new_version(
                actor,
                existing,
                effective_on=effective_on or clock.today(),
                body=body,
                note="由文件重新导入",
                source=path.name,
            )
            made["versions"] += 1
        else:
            made["unchanged"] += 1
    return made
