"""What every API router shares: authentication, the error envelope, the strict base schema,
pagination and the JSON-only body parser."""

import copy
import json
import logging
import types
import typing
from datetime import date, datetime
from functools import wraps
from typing import Annotated, ClassVar

import annotated_types
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpResponseNotAllowed
from django.http.multipartparser import MultiPartParserError
from django.urls import URLPattern
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf
from pydantic import AfterValidator, BaseModel, ConfigDict, create_model, field_validator

from kefu.core import provided
from kefu.core.actions import find_token, note_use
from kefu.core.actor import Actor, request_origin
from kefu.core.errors import DomainError
from kefu.core.queries import locked_out

log = logging.getLogger("kefu.http")

PAGE_DEFAULT = 50
PAGE_MAX = 200
# What the databases can take (本系统默认值 — technical bounds, not from the policies): integers are
# 64-bit on both (SQLite INTEGER, PostgreSQL bigint); a larger number in a query, path, form field or
# JSON body is refused with a 422 before it can reach SQL (SQLite raises OverflowError, PostgreSQL
# NumericValueOutOfRange). Offsets stop at 2**31 - 1, far beyond any list, as the case list did first.
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
OFFSET_MAX = 2**31 - 1
# Dates given as query/path/form parameters (filters, ranges, "due from"): years 1900–2999. Outside,
# date arithmetic (a day or a year either side) overflows Python's 0001–9999 and no record can match.
PARAM_YEAR_MIN, PARAM_YEAR_MAX = 1900, 2999


class StrictSchema(Schema):
    """Request bodies refuse unknown fields: a typo must not be silently ignored. Enum fields hand
    plain strings to the actions."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class PatchSchema(StrictSchema):
    """A partial update: only the fields sent change. An explicit `null` is refused (422) unless the
    field is listed in `nullable` — `{"name": null}` is a client bug, not a request to blank it."""

    nullable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null(cls, value, info):
        if value is None and info.field_name not in cls.nullable:
            raise ValueError("may not be null")
        return value

    def changes(self) -> dict:
        return self.model_dump(exclude_unset=True)


class Pagination(LimitOffsetPagination):
    """`?limit=&offset=` → `{"items": [...], "count": N}`; 50 by default, at most 200."""

    class Input(Schema):
        limit: int = Field(PAGE_DEFAULT, ge=1, le=PAGE_MAX)
        offset: int = Field(0, ge=0, le=OFFSET_MAX)

    def __init__(self, **kwargs):
        super().__init__(max_limit=PAGE_MAX, **kwargs)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer kefu_…` — a personal API token. No CSRF: a browser never adds it by itself.

    A token of an account that is locked out (SEC-10, per username + address) answers 401 until the
    lock lifts. `request.kefu_token` names the token, so that actions can refuse what a token may not do.
    """

    def authenticate(self, request, token):
        if "\x00" in token:  # PostgreSQL cannot compare NUL: such a token is simply not valid
            return None
        found = find_token(token)
        if found is None or locked_out(request, found.user):
            return None
        note_use(found)
        request.user = found.user
        request.kefu_token = found
        request.kefu_via = f"api token {token[:13]}"
        return found.user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session (the web UI's own HTMX calls); CSRF is checked.

    The CSRF check runs only once a session user is known: a request without credentials (or with a
    bad bearer token) must answer 401, not a misleading CSRF 403.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if key is None or user is None or not user.is_authenticated:
            return None
        if self.csrf and check_csrf(request) is not None:
            raise DomainError(
                "csrf_failed",
                "CSRF 校验失败：请刷新页面后重试",
                "CSRF check failed: reload the page and try again",
                status=403,
            )
        request.kefu_via = "api session"
        return user


class UnsupportedMediaType(Exception):
    pass


def _refuse_nul(value, where: str = "body") -> None:
    """NUL characters are refused up front: PostgreSQL cannot store or compare them (a 500 otherwise).
    So are JSON integers beyond 64 bits: no column holds them (SQLite raises OverflowError)."""
    if isinstance(value, str):
        if "\x00" in value:
            raise DomainError(
                "invalid_input",
                "输入有误：不允许 NUL 字符",
                "Invalid input: NUL characters are not allowed",
                fields={where: ["NUL character not allowed"]},
                status=422,
            )
    elif isinstance(value, int) and not isinstance(value, bool):
        if not INT_MIN <= value <= INT_MAX:
            raise DomainError(
                "invalid_input",
                "输入有误：整数超出范围",
                "Invalid input: integer out of range",
                fields={where: [f"must be between {INT_MIN} and {INT_MAX}"]},
                status=422,
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_nul(key, where)
            _refuse_nul(item, key if where == "body" else where)
    elif isinstance(value, list):
        for item in value:
            _refuse_nul(item, where)


# ── parameters bounded to what the database and the calendar can take ─────────────────────────────
_PARAM_SOURCES = {"query", "path", "form", "header", "cookie"}


def _year_in_range(value):
    if not PARAM_YEAR_MIN <= value.year <= PARAM_YEAR_MAX:
        raise ValueError(f"year must be between {PARAM_YEAR_MIN} and {PARAM_YEAR_MAX}")
    return value


def _int_bounds(metadata) -> list:
    """The bounds an int still needs given its own metadata (an existing stricter bound stays)."""
    low = high = None
    for item in metadata:
        for attr, side in (("ge", "low"), ("gt", "low"), ("le", "high"), ("lt", "high")):
            value = getattr(item, attr, None)
            if isinstance(value, int):
                if side == "low":
                    low = value
                else:
                    high = value
    needed = []
    if low is None or low < INT_MIN:
        needed.append(annotated_types.Ge(INT_MIN))
    if high is None or high > INT_MAX:
        needed.append(annotated_types.Le(INT_MAX))
    return needed


def _bounded_type(tp, metadata=()):
    """`tp` with every int bounded to 64 bits and every date/datetime to PARAM_YEAR_MIN…MAX; the same
    object when nothing changes."""
    if tp is int:
        needed = _int_bounds(metadata)
        return Annotated[int, *needed] if needed else tp
    if tp is datetime or tp is date:
        return Annotated[tp, AfterValidator(_year_in_range)]
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return bounded_model(tp)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is Annotated:
        inner = _bounded_type(args[0], (*metadata, *args[1:]))
        return tp if inner is args[0] else Annotated[inner, *args[1:]]
    if not args:
        return tp
    union = origin in (typing.Union, types.UnionType)  # Field(ge=…) on `int | None` bounds the int
    new_args = tuple(_bounded_type(a, metadata if union else ()) for a in args)
    if all(a is b for a, b in zip(new_args, args, strict=True)):
        return tp
    if union:
        return typing.Union[new_args]  # noqa: UP007 — built from a tuple of types
    return origin[new_args]


_bounded_models: dict[type, type] = {}


def bounded_model(model: type[BaseModel]) -> type[BaseModel]:
    """A subclass of `model` whose int and date fields carry the bounds above (cached; `model` itself
    when nothing needs a bound). Used for ninja's parameter models and the schemas nested in them."""
    known = _bounded_models.get(model)
    if known is not None:
        return known
    _bounded_models[model] = model  # a self-referencing model stops here
    fields = {}
    for name, info in model.model_fields.items():
        bounded = _bounded_type(info.annotation, info.metadata)
        if bounded is not info.annotation:
            fields[name] = (bounded, copy.copy(info))
    result = model
    if fields:
        result = create_model(
            model.__name__, __base__=model, __module__=model.__module__, __doc__=model.__doc__, **fields
        )
        result.__qualname__ = model.__qualname__
    _bounded_models[model] = result
    return result


def bound_parameters(operation) -> None:
    """Bound the query/path/form/header parameters of one ninja operation (see INT_MAX above)."""
    operation.models = [
        bounded_model(m) if getattr(m, "__ninja_param_source__", None) in _PARAM_SOURCES else m
        for m in operation.models
    ]


class JsonParser(Parser):
    """Bodies must be JSON (`application/json` or `…+json`); anything else is refused with 415."""

    def parse_body(self, request):
        content_type = request.content_type or ""
        if content_type != "application/json" and not content_type.endswith("+json"):
            raise UnsupportedMediaType(content_type)
        data = json.loads(request.body)
        _refuse_nul(data)
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        _refuse_nul(result)
        return result


def actor(request) -> Actor:
    """The Actor of an API request; `X-Kefu-Delegation: <id>` acts under a delegation (ORG-5).

    Built once per request: a request under a delegation leaves exactly one `org.delegation.use` row."""
    cached = getattr(request, "_kefu_api_actor", None)
    if cached is not None:
        return cached
    delegation = request.headers.get("X-Kefu-Delegation")
    try:
        delegation_id = int(delegation) if delegation else None
    except ValueError:
        delegation_id = -1
    request._kefu_api_actor = provided.request_actor(
        request.user,
        origin=request_origin(request, getattr(request, "kefu_via", "api")),
        delegation_id=delegation_id,
        request_line=f"{request.method} {request.path}",
    )
    return request._kefu_api_actor


def envelope(code: str, zh: str, en: str, fields: dict | None = None) -> dict:
    return DomainError(code, zh, en, fields=fields).as_envelope()


def _fields_from_validation(errors) -> dict:
    fields: dict[str, list[str]] = {}
    for err in errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
        key = ".".join(loc) or "body"
        fields.setdefault(key, []).append(err.get("msg", "invalid"))
    return fields


def _beyond_64_bits_in_path(err: dict) -> bool:
    loc, ctx = err.get("loc") or (), err.get("ctx") or {}
    return bool(loc) and loc[0] == "path" and (ctx.get("le") == INT_MAX or ctx.get("ge") == INT_MIN)


_HTTP_TEXT = {
    400: ("bad_request", "请求无效", "Bad request"),
    401: ("unauthenticated", "请先登录或提供有效的 API 令牌", "Authentication required"),
    403: ("forbidden", "您没有执行此操作的权限", "You are not allowed to do this"),
    404: ("not_found", "记录不存在或无权查看", "Not found"),
    405: ("method_not_allowed", "不支持该请求方法", "Method not allowed"),
    413: ("body_too_large", "请求体过大", "Request body too large"),
    415: ("unsupported_media_type", "请求体须为 JSON（application/json）", "Body must be application/json"),
    429: ("too_many_requests", "请求过于频繁，请稍后再试", "Too many requests; try again later"),
}


def http_envelope(status: int) -> dict:
    code, zh, en = _HTTP_TEXT.get(status, (f"http_{status}", "请求无效", "Request failed"))
    return envelope(code, zh, en)


def install_error_handlers(api) -> None:
    """Every 4xx answers {"error": {"code", "message", "messages", "fields"}}; nothing becomes a 500."""

    def respond(request, body, status):
        return api.create_response(request, body, status=status)

    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return respond(request, exc.as_envelope(), exc.status)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        if exc.errors and all(_beyond_64_bits_in_path(err) for err in exc.errors):
            # a path names a record; a number no database can hold names none (as for an unknown id)
            return respond(request, http_envelope(404), 404)
        return respond(
            request,
            envelope(
                "invalid_input",
                "输入有误，请检查标出的字段",
                "Invalid input; see the listed fields",
                _fields_from_validation(exc.errors),
            ),
            422,
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return respond(request, http_envelope(401), 401)

    @api.exception_handler(AuthorizationError)
    def unauthorised(request, exc):
        return respond(request, http_envelope(403), 403)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, http_envelope(404), 404)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        # ninja wraps any failure of the body parser in HttpError(400, "Cannot parse request body …")
        cause = exc.__cause__
        if isinstance(cause, DomainError):
            return respond(request, cause.as_envelope(), cause.status)
        if isinstance(cause, UnsupportedMediaType):
            return respond(request, http_envelope(415), 415)
        if isinstance(cause, RequestDataTooBig):
            return respond(request, http_envelope(413), 413)
        if exc.status_code == 400 and cause is not None:
            return respond(
                request,
                envelope("malformed_json", "请求体不是有效的 JSON", "Request body is not valid JSON"),
                400,
            )
        return respond(request, http_envelope(exc.status_code), exc.status_code)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc):
        return respond(request, http_envelope(413), 413)

    @api.exception_handler(MultiPartParserError)
    def malformed_multipart(request, exc):
        # e.g. `Content-Type: multipart/form-data` without a boundary, or a truncated body
        return respond(
            request,
            envelope(
                "malformed_multipart",
                "请求体不是有效的 multipart/form-data（缺少 boundary 或内容不完整）",
                "Request body is not valid multipart/form-data (no boundary, or truncated)",
            ),
            400,
        )

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request, exc):
        return respond(request, http_envelope(400), 400)

    @api.exception_handler(Exception)
    def unexpected(request, exc):
        log.exception("unhandled API error")
        return respond(
            request,
            envelope("internal_error", "服务器内部错误，已记录", "Internal error; it has been logged"),
            500,
        )


class Utf8JSONRenderer(JSONRenderer):
    """Chinese stays readable in responses ("王芳", not "\\u738b\\u82b3"); still valid JSON."""

    media_type = "application/json"
    json_dumps_params = {"ensure_ascii": False}


ERROR_ENVELOPE = "ErrorEnvelope"
ERROR_ENVELOPE_SCHEMA = {
    "title": ERROR_ENVELOPE,
    "description": "Every 4xx answer: a stable code, the message in the request's language, both "
    "messages, and the fields at fault (field → list of messages, or a short code).",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "messages", "fields"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "messages": {
                    "type": "object",
                    "required": ["zh-hans", "en"],
                    "properties": {"zh-hans": {"type": "string"}, "en": {"type": "string"}},
                },
                "fields": {"type": "object"},
            },
        }
    },
}


class KefuAPI(NinjaAPI):
    """NinjaAPI whose "method not allowed" answers carry the error envelope too.

    ninja returns a bare `HttpResponseNotAllowed` from its path views, before any exception handler
    runs, so each URL's view is wrapped to re-render that one response.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("parser", JsonParser())
        kwargs.setdefault("renderer", Utf8JSONRenderer())
        super().__init__(*args, **kwargs)
        self._parameters_bounded = False

    def _get_bound_routers(self):
        """Every operation's parameters are bounded once the routers are bound — before the first URL
        resolves or the OpenAPI document is built, so both validate and document the same bounds."""
        routers = super()._get_bound_routers()
        if not self._parameters_bounded:
            for router in routers:
                for path_view in router.path_operations.values():
                    for operation in path_view.operations:
                        bound_parameters(operation)
            self._parameters_bounded = True
        return routers

    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = self._envelope_405(pattern.callback)
        return patterns, app_name, namespace

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """ninja documents the success answers; every operation can also answer a 4xx, always with
        the error envelope: documented once as `4XX` so clients (and schemathesis) can rely on it."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})[ERROR_ENVELOPE] = ERROR_ENVELOPE_SCHEMA
        refused = {
            "description": "Refused: invalid input, not signed in, not allowed, not found or out of "
            "scope, conflict, too large, wrong media type, too many requests",
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_ENVELOPE}"}}},
        }
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                operation.setdefault("responses", {}).setdefault("4XX", refused)
        return schema

    def docs_page(self, request):
        """Interactive docs (Swagger UI) — public, like the OpenAPI document it reads; the view is
        routed at /api/docs by kefu.urls. A read-only page: other methods answer 405 (enveloped),
        hence exempt from the CSRF middleware, which would otherwise answer an HTML 403 first."""
        if request.method not in ("GET", "HEAD"):
            response = self.create_response(request, http_envelope(405), status=405)
            response["Allow"] = "GET, HEAD"
            return response
        return self.docs.render_page(request, self)

    docs_page.csrf_exempt = True

    def _envelope_405(self, view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if isinstance(response, HttpResponseNotAllowed):
                enveloped = self.create_response(request, http_envelope(405), status=405)
                enveloped["Allow"] = response["Allow"]
                return enveloped
            return response

        return wrapper
