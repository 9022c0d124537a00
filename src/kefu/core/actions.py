"""State changes of the shared kernel: personal API tokens."""

import hashlib
import os
import secrets
import socket
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from kefu.core import audit, clock, locks, memo, provided
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound, PermissionDenied
from kefu.core.models import ApiToken, ConfigGeneration, WorkerHeartbeat
from kefu.core.sessions import SessionStore

TOKEN_PREFIX = "kefu_"  # noqa: S105 — a public marker, not a secret


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_lifetime():
    """The longest (and default) lifetime of an API token: the pack's security.token_lifetime (SEC-10)."""
    return provided.policy_value("security.token_lifetime")


def _lifetime_text(entry, language: str) -> str:
    marked = {"zh-hans": "（本系统默认值）", "en": " (default, not from the policies)"}
    return entry.display(language) + (marked[language] if entry.default_not_from_seeds else "")


def create_token(actor: Actor, *, user, name: str, expires_at=None, via_token=None) -> tuple[ApiToken, str]:
    """Create a token for `user` (only for oneself: tokens are personal, ORG-6). Returns (row, plaintext).

    `via_token` is the ApiToken that authenticated the request, if one did: a token cannot mint tokens
    (a stolen token must not turn into a fresh, longer-lived one); minting needs a signed-in session or
    the server's own command line. Every token expires, by default and at the latest after the pack's
    security.token_lifetime (SEC-10).
    """
    if actor.user is None or actor.user.pk != user.pk:
        raise PermissionDenied("只能为自己创建 API 令牌", "API tokens can only be created for yourself")
    if via_token is not None:
        raise PermissionDenied(
            "API 令牌不能创建新的令牌：请登录后在个人中心创建",
            "An API token cannot create tokens: sign in and create it on your profile page",
            code="token_cannot_mint",
        )
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise Invalid(
            "token_name",
            "请填写令牌名称（1–100 字）",
            "Token name must be 1–100 characters",
            fields={"name": "1–100"},
        )
    now = clock.now()
    if expires_at is not None and expires_at <= now:
        raise Invalid(
            "token_expiry",
            "到期时间必须晚于现在",
            "Expiry must be in the future",
            fields={"expires_at": "future"},
        )
    lifetime = token_lifetime()
    latest = now + lifetime.duration()
    if expires_at is None:
        expires_at = latest
    elif expires_at > latest:
        raise Invalid(
            "token_expiry_too_far",
            f"令牌最长有效 {_lifetime_text(lifetime, 'zh-hans')}，到期时间不能晚于此",
            f"A token is valid for at most {_lifetime_text(lifetime, 'en')}; choose an earlier expiry",
            fields={"expires_at": f"<= {latest.isoformat()}"},
        )
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=prefix,
            secret_hash=_hash_secret(secret),
            created_at=now,
            expires_at=expires_at,
        )
        audit.record(
            actor, "token.create", token, after={"name": name, "prefix": prefix, "expires_at": expires_at}
        )
    return token, f"{TOKEN_PREFIX}{prefix}_{secret}"


def revoke_token(actor: Actor, *, token_id: int) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update(of=("self",)).filter(pk=token_id, user=actor.user).first()
        if token is None:
            raise NotFound("API 令牌", "API token")
        if token.revoked_at is None:
            token.revoked_at = clock.now()
            token.save(update_fields=["revoked_at"])
            audit.record(
                actor,
                "token.revoke",
                token,
                before={"revoked_at": None},
                after={"revoked_at": token.revoked_at},
            )
    return token


def authenticate_token(raw: str):
    """The active user owning the valid token `raw`, or None; the use is noted (`note_use`)."""
    token = find_token(raw)
    if token is None:
        return None
    note_use(token)
    return token.user


def find_token(raw: str) -> ApiToken | None:
    """The valid token `raw` names (not revoked, not expired, its user active), or None. Writes nothing."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or "\x00" in raw:  # NUL: PostgreSQL refuses it in queries
        return None
    prefix, _, secret = raw[len(TOKEN_PREFIX) :].partition("_")
    # the user's profile comes in the same query (settings.KEFU_USER_PROFILE: core names no app)
    related = [f"user__{path}" for path in settings.KEFU_USER_PROFILE]
    token = ApiToken.objects.select_related("user", *related).filter(prefix=prefix).first()
    if token is None or not secrets.compare_digest(token.secret_hash, _hash_secret(secret)):
        return None
    if token.revoked_at is not None or token.expires_at <= clock.now() or not token.user.is_active:
        return None
    return token


def note_use(token: ApiToken) -> None:
    """Refresh last_used_at at most once per settings.KEFU_TOKEN_TOUCH_MINUTES (本系统默认值), so that
    the token list shows last use without a write per request."""
    now = clock.now()
    touch_every = timedelta(minutes=settings.KEFU_TOKEN_TOUCH_MINUTES)
    if token.last_used_at is None or not timedelta(0) <= now - token.last_used_at < touch_every:
        # bookkeeping, not a business change: no audit row for "token was used"; a touch — skipped,
        # never failing the call, when the database's write lock is busy (issue 11)
        def write():
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)

        if locks.touch("token last_used_at", write):
            token.last_used_at = now


def record_heartbeat(worker_id: str, *, started_at) -> None:
    """A worker's sign of life for /healthz. Bookkeeping, not a business change: not audited."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:200],
            "pid": os.getpid(),
            "started_at": started_at,
            "seen_at": clock.now(),
        },
    )


def clear_expired_sessions() -> None:
    """Housekeeping sweep: drop expired browser sessions (they can no longer be used anyway).

    The session store's own `clear_expired()`: Django stamps and checks a session's expiry on its own
    clock, so expiry is judged there too — judged on kefu's clock, a test harness's time shift deleted
    sessions signed in a second before (the browser tests' "sign in after a week" landed on login)."""
    SessionStore.clear_expired()


def change_password(actor: Actor, *, user, new_password: str) -> None:
    """A person changes their own password (already validated by the caller's form); audited, never logged."""
    if actor.user is None or actor.user.pk != user.pk:
        raise PermissionDenied("只能修改自己的密码", "You can only change your own password")
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit.record(actor, "auth.password_change", user, object_repr=user.get_username())


def new_config_generation() -> None:
    """A tracked configuration row changed: a new generation token, written in the writer's
    transaction (other processes see it when the write commits); this request forgets what it kept
    (kefu.core.memo). A random token, never a counter: a rolled-back write brings no token back."""
    token = uuid.uuid4().hex
    if not ConfigGeneration.objects.filter(pk=1).update(token=token):
        ConfigGeneration.objects.create(pk=1, token=token)
    memo.restart(token)


def track_configuration(*models) -> None:
    """Every save or delete of these models (and every change of their many-to-many fields) starts a
    new configuration generation. Called from the apps' `ready()`."""

    def changed(**_):
        new_config_generation()

    for model in models:
        label = model._meta.label
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"memo.track.save.{label}")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"memo.track.del.{label}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                changed,
                sender=field.remote_field.through,
                weak=False,
                dispatch_uid=f"memo.track.m2m.{label}.{field.name}",
            )
