"""Reading configuration from the environment (used by settings.py only)."""

import base64
import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def database_from_url(url: str) -> dict:
    """Translate KEFU_DATABASE_URL into a Django DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)
        if url.startswith("sqlite:////"):
            path = "/" + path.lstrip("/")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            "OPTIONS": {
                # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at BEGIN so
                # that concurrent writers queue (busy timeout) instead of failing mid-transaction.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
            # A file, not Django's shared-cache memory database: tests with parallel connections need
            # SQLite's real locking (busy timeout), which shared cache does not honour.
            "TEST": {"NAME": str(Path(path).with_name(f"test-{os.getpid()}.sqlite3"))},
        }
    if parsed.scheme in {"postgres", "postgresql", "pgsql"}:
        options = prepared_statements({k: v[-1] for k, v in parse_qs(parsed.query).items()})
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "kefu",
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        f"KEFU_DATABASE_URL: unsupported scheme {parsed.scheme!r} (use sqlite or postgresql)"
    )


def prepared_statements(options: dict) -> dict:
    """Server-side binding, so that psycopg prepares what a connection repeats (after 5 runs):
    PostgreSQL then parses and plans an intake's statements once per connection instead of once per
    request — about half the database's CPU per case (issue 11, docs/performance.md). Behind a
    transaction-pooling PgBouncer, which cannot keep prepared statements, add `?prepared=0` to the URL."""
    if options.pop("prepared", "1") == "0":
        return options
    options["server_side_binding"] = True
    options["prepare_threshold"] = int(options.get("prepare_threshold", 5))
    return options


def secret_from_env_or_file(name: str, path: Path, *, generate: bool) -> str:
    """The secret from the environment, else from `path`, else (if allowed) a new one written there."""
    value = os.environ.get(name)
    if value:
        return value
    if path.exists():
        return path.read_text().strip()
    if not generate:
        return ""
    value = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value + "\n")
    return value
