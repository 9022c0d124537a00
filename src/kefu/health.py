"""GET /healthz — public, JSON: database reachable, migrations applied, worker seen, audit rows sealed
in time, lock waits, version."""

from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from kefu.core import audit, clock, locks
from kefu.core.models import WorkerHeartbeat
from kefu.engine.calendars import api as calendars
from kefu.engine.policy import api as policy

WORKER_STALE_AFTER = timedelta(minutes=2)
# 本系统默认值: how far ahead of this server's clock a heartbeat may be dated (machines' clocks differ
# a little) before it counts as written in the future — by a clock that has since stepped back
HEARTBEAT_AHEAD_TOLERANCE = timedelta(seconds=30)


def _database() -> dict:
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        return {
            "status": "ok" if not pending else "migrations_pending",
            "vendor": connection.vendor,
            "pending_migrations": len(pending),
        }
    except Exception as exc:  # a health check reports failure instead of failing
        return {"status": "error", "vendor": connection.vendor, "detail": exc.__class__.__name__}


def _worker() -> dict:
    """A worker is seen when a heartbeat lies within WORKER_STALE_AFTER before now. A heartbeat dated
    after now (beyond HEARTBEAT_AHEAD_TOLERANCE) proves nothing about now — it was written before the
    clock stepped back, or by a machine whose clock runs ahead: it is reported, never taken as fresh
    (issue 13). Statuses: ok, stale, future (only heartbeats dated in the future), never_seen."""
    now = clock.now()
    latest = now + HEARTBEAT_AHEAD_TOLERANCE
    try:
        last = WorkerHeartbeat.objects.filter(seen_at__lte=latest).order_by("-seen_at").first()
        ahead = WorkerHeartbeat.objects.filter(seen_at__gt=latest).order_by("-seen_at").first()
    except Exception:
        return {"status": "unknown"}
    if last is None and ahead is None:
        return {"status": "never_seen"}
    body = {}
    if ahead is not None:
        body["future_heartbeat"] = ahead.seen_at.isoformat()
    if last is not None and now - last.seen_at <= WORKER_STALE_AFTER:
        return {"status": "ok", "last_seen": last.seen_at.isoformat(), **body}
    if last is None:
        return {"status": "future", **body}
    return {"status": "stale", "last_seen": last.seen_at.isoformat(), **body}


def _calendar() -> dict:
    """CAL-3: a year without an official 调休 schedule is a warning, never an outage."""
    try:
        warnings = [w.as_dict() for w in calendars.coverage_warnings(clock.today())]
    except Exception as exc:
        return {"status": "unknown", "detail": exc.__class__.__name__}
    return {"status": "warning" if warnings else "ok", "warnings": warnings}


def _audit() -> dict:
    """SEC-6: rows wait for the sealer; a backlog older than the pack's security.audit_seal_backlog
    (本系统默认值) means no sealer is keeping up — a warning, as the writes themselves still work."""
    try:
        bound = policy.lookup("security.audit_seal_backlog")
        pending = audit.backlog()
    except Exception as exc:
        return {"status": "unknown", "detail": exc.__class__.__name__}
    age = pending.age_seconds(clock.now())
    return {
        "status": "warning" if age > bound.duration().total_seconds() else "ok",
        "unsealed": pending.count,
        "oldest_unsealed_age_seconds": round(age),
        "bound_seconds": round(bound.duration().total_seconds()),
        "bound_rule": bound.rule,
        "bound_default_not_from_seeds": bound.default_not_from_seeds,
    }


def _locks() -> dict:
    """Issue 11: how long a write waits for the database's lock now (a probe write on SQLite, the
    sessions waiting for locks on PostgreSQL) and the age of the oldest bulk batch being committed.
    "blocked" — writes cannot get the lock within KEFU_LOCK_PROBE_MS — makes the service degraded;
    a batch open longer than KEFU_BULK_BATCH_WARN_SECONDS (本系统默认值) is a warning."""
    try:
        body = locks.probe()
        batches = {}
        for name, oldest in locks.BATCH_CLOCKS.items():
            started = oldest()
            if started is not None:
                batches[name] = round((clock.now() - started).total_seconds(), 1)
    except Exception as exc:
        return {"status": "unknown", "detail": exc.__class__.__name__}
    body["open_batch_seconds"] = batches
    bound = settings.KEFU_BULK_BATCH_WARN_SECONDS
    if body["status"] == "ok" and any(age > bound for age in batches.values()):
        body["status"] = "warning"
    return body


@require_GET
def healthz(request):
    database = _database()
    held = _locks() if database["status"] == "ok" else {"status": "unknown"}
    body = {
        "status": "ok" if database["status"] == "ok" and held["status"] != "blocked" else "degraded",
        "version": settings.KEFU_VERSION,
        "time": clock.now().isoformat(),
        "database": database,
        "worker": _worker() if database["status"] == "ok" else {"status": "unknown"},
        "calendar": _calendar() if database["status"] == "ok" else {"status": "unknown"},
        "audit": _audit() if database["status"] == "ok" else {"status": "unknown"},
        "locks": held,
    }
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)
