"""What every API router shares: authentication, the error envelope, the strict base schema."""

import logging

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404
from ninja import Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.security import APIKeyCookie, HttpBearer
from pydantic import ConfigDict

from kefu.core.actions import authenticate_token
from kefu.core.actor import Actor, request_origin
from kefu.core.errors import DomainError

log = logging.getLogger("kefu.api")


class StrictSchema(Schema):
    """Request bodies refuse unknown fields: a typo must not be silently ignored."""

    model_config = ConfigDict(extra="forbid")


class TokenAuth(HttpBearer):
    """`Authorization: Bearer kefu_…` — a personal API token."""

    def authenticate(self, request, token):
        user = authenticate_token(token)
        if user is not None:
            request.user = user
            request.kefu_via = f"api token {token[:13]}"
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session (the web UI's own HTMX calls); CSRF is checked."""

    param_name = "sessionid"

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            request.kefu_via = "api session"
            return user
        return None


def actor(request) -> Actor:
    """The Actor of an API request; `X-Kefu-Delegation: <id>` acts under a delegation (ORG-5)."""
    from kefu.org.access import actor_for  # org builds on core; imported late to keep core free of org

    delegation = request.headers.get("X-Kefu-Delegation")
    try:
        delegation_id = int(delegation) if delegation else None
    except ValueError:
        delegation_id = -1
    return actor_for(
        request.user,
        origin=request_origin(request, getattr(request, "kefu_via", "api")),
        delegation_id=delegation_id,
    )


def envelope(code: str, zh: str, en: str, fields: dict | None = None) -> dict:
    return DomainError(code, zh, en, fields=fields).as_envelope()


def _fields_from_validation(errors) -> dict:
    fields: dict[str, list[str]] = {}
    for err in errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
        key = ".".join(loc) or "body"
        fields.setdefault(key, []).append(err.get("msg", "invalid"))
    return fields


def install_error_handlers(api) -> None:
    """Every 4xx answers {"error": {"code", "message", "messages", "fields"}}; nothing becomes a 500."""

    def respond(request, body, status):
        return api.create_response(request, body, status=status)

    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return respond(request, exc.as_envelope(), exc.status)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        fields = _fields_from_validation(exc.errors)
        if any("Cannot parse request body" in str(e.get("msg", "")) for e in exc.errors):
            return respond(
                request,
                envelope("malformed_json", "请求体不是有效的 JSON", "Request body is not valid JSON", fields),
                400,
            )
        return respond(
            request,
            envelope(
                "invalid_input", "输入有误，请检查标出的字段", "Invalid input; see the listed fields", fields
            ),
            422,
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return respond(
            request,
            envelope(
                "unauthenticated",
                "请先登录或提供有效的 API 令牌",
                "Authentication required: sign in or send a valid API token",
            ),
            401,
        )

    @api.exception_handler(AuthorizationError)
    def unauthorised(request, exc):
        return respond(
            request, envelope("forbidden", "您没有执行此操作的权限", "You are not allowed to do this"), 403
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, envelope("not_found", "记录不存在或无权查看", "Not found"), 404)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return respond(request, envelope(f"http_{exc.status_code}", str(exc), str(exc)), exc.status_code)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc):
        return respond(request, envelope("body_too_large", "请求体过大", "Request body too large"), 413)

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request, exc):
        return respond(request, envelope("bad_request", "请求无效", "Bad request"), 400)

    @api.exception_handler(Exception)
    def unexpected(request, exc):
        log.exception("unhandled API error")
        return respond(
            request,
            envelope("internal_error", "服务器内部错误，已记录", "Internal error; it has been logged"),
            500,
        )
