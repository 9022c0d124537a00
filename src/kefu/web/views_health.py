"""GET /healthz — public, JSON: database reachable, migrations applied, worker seen, version."""

from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from kefu.core import clock
from kefu.core.models import WorkerHeartbeat

WORKER_STALE_AFTER = timedelta(minutes=2)


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
    try:
        last = WorkerHeartbeat.objects.order_by("-seen_at").first()
    except Exception:
        return {"status": "unknown"}
    if last is None:
        return {"status": "never_seen"}
    fresh = clock.now() - last.seen_at <= WORKER_STALE_AFTER
    return {"status": "ok" if fresh else "stale", "last_seen": last.seen_at.isoformat()}


def _calendar() -> dict:
    """CAL-3: a year without an official 调休 schedule is a warning, never an outage."""
    try:
        from kefu.engine.calendars.api import coverage_warnings

        warnings = [w.as_dict() for w in coverage_warnings(timezone.localdate(clock.now()))]
    except Exception as exc:
        return {"status": "unknown", "detail": exc.__class__.__name__}
    return {"status": "warning" if warnings else "ok", "warnings": warnings}


@require_GET
def healthz(request):
    database = _database()
    body = {
        "status": "ok" if database["status"] == "ok" else "degraded",
        "version": settings.KEFU_VERSION,
        "time": clock.now().isoformat(),
        "database": database,
        "worker": _worker() if database["status"] == "ok" else {"status": "unknown"},
        "calendar": _calendar() if database["status"] == "ok" else {"status": "unknown"},
    }
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)
