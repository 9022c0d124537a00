"""Loading the policy pack file as a version (POL-1), and the versions' building blocks that every
change uses (`create_version`, `effective`, `rows_of`). Below `api`: a database without a version gets
the shipped pack on first lookup (`ensure_loaded`)."""

from datetime import UTC, date, datetime, time
from pathlib import Path

from django.db import IntegrityError, transaction

from kefu.core import audit, clock, memo
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid
from kefu.engine.policy import pack
from kefu.engine.policy.models import PolicyEntry, PolicyVersion

# The first version loaded applies to every record, however old (it is the baseline).
BASELINE = datetime(2000, 1, 1, tzinfo=UTC)
ENTRY_FIELDS = [
    "key",
    "rule",
    "module",
    "name_zh",
    "name_en",
    "value",
    "unit",
    "kind",
    "calendar",
    "stricter",
    "clause",
    "source_seed",
    "source_document",
    "default_not_from_seeds",
    "related_rules",
]


def rows_of(version: PolicyVersion) -> list[dict]:
    return [
        {**{f: getattr(row, f) for f in ENTRY_FIELDS}, "edited": row.edited}
        for row in version.entries.order_by("key")
    ]


def create_version(
    rows: list[dict], *, effective_from, source, note, actor: Actor, file_sha=""
) -> PolicyVersion:
    latest = PolicyVersion.objects.select_for_update(of=("self",)).order_by("-number").first()
    number = latest.number + 1 if latest else 1
    try:
        with transaction.atomic():
            version = PolicyVersion.objects.create(
                number=number,
                effective_from=effective_from,
                loaded_at=clock.now(),
                source=source[:200],
                file_sha256=file_sha,
                digest=pack.digest(rows),
                note=note[:500],
                created_by=actor.user,
            )
    except IntegrityError as exc:  # another writer took this number first (unique): one winner
        raise Conflict(
            "policy_concurrent_change",
            "制度参数刚被他人修改，请刷新后重试",
            "The policy pack was just changed by someone else; reload and try again",
        ) from exc
    PolicyEntry.objects.bulk_create(
        [PolicyEntry(version=version, **{**row, "edited": row.get("edited", False)}) for row in rows]
    )
    memo.forget("policy.versions")  # the rest of this request sees it too
    return version


def effective(value, *, earliest: datetime | None) -> datetime:
    """A date means its start in the local zone (Asia/Shanghai); never before now (no retroactive change) nor before
    the latest version's start (versions are ordered in time)."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=clock.zone())
    elif isinstance(value, date):
        moment = datetime.combine(value, time.min, tzinfo=clock.zone())
    else:
        raise Invalid("policy_effective_invalid", "生效日期无效", "Invalid effective date")
    now = clock.now()
    if moment.astimezone(clock.zone()).date() < now.astimezone(clock.zone()).date():
        raise Invalid(
            "policy_effective_in_past",
            "生效日期不能早于今天：已办理的记录按当时的制度判断",
            "The effective date cannot be before today: past records keep the rules of their time",
            fields={"effective_from": ["before today"]},
        )
    moment = max(moment, now)
    if earliest is not None and moment < earliest:
        raise Invalid(
            "policy_effective_before_latest",
            f"生效日期不能早于最新版本的生效时间 {earliest.astimezone(clock.zone()):%Y-%m-%d %H:%M}",
            f"The effective date cannot be before the latest version's start {earliest:%Y-%m-%d %H:%M} UTC",
            fields={"effective_from": ["before the latest version"]},
        )
    return moment


# ── loading the pack file ───────────────────────────────────────────────────────────────────────


def load_pack(
    actor: Actor, path: Path | str | None = None, *, effective_from=None, note: str = ""
) -> tuple[PolicyVersion, bool]:
    """Load a pack file as a new version — only when its content differs from the last file loaded.

    Values an administrator set since (edited entries) are carried over: the file does not silently
    undo a decision taken in the product. Returns (version, created).
    """
    entries, sha, name = pack.read(path)
    with transaction.atomic():
        latest = PolicyVersion.objects.select_for_update(of=("self",)).order_by("-number").first()
        last_file = PolicyVersion.objects.exclude(file_sha256="").order_by("-number").first()
        if last_file is not None and last_file.file_sha256 == sha:
            return latest, False
        if latest is None:
            moment = BASELINE if effective_from is None else effective(effective_from, earliest=None)
        else:
            moment = effective(effective_from or clock.now(), earliest=latest.effective_from)
        rows = [{**e, "edited": False} for e in entries]
        if latest is not None:
            edited = {r["key"]: r for r in rows_of(latest) if r["edited"]}
            for row in rows:
                if row["key"] in edited:
                    row["value"] = edited[row["key"]]["value"]
                    row["edited"] = True
        version = create_version(
            rows,
            effective_from=moment,
            source=f"{name} sha256 {sha[:16]}",
            note=note,
            actor=actor,
            file_sha=sha,
        )
        audit.record(
            actor,
            "policy.load",
            version,
            after={"version": version.number, "file": name, "sha256": sha, "entries": len(rows)},
            reason=note,
        )
    return version, True


def ensure_loaded() -> PolicyVersion:
    """The current version, loading the shipped pack first if the database has none (fresh or flushed)."""
    version = PolicyVersion.objects.order_by("-number").first()
    if version is not None:
        return version
    try:
        version, _ = load_pack(Actor.system("policy bootstrap"))
    except Conflict:  # another process loaded it at the same moment
        version = PolicyVersion.objects.order_by("-number").first()
    return version
