"""Domain errors: a stable code, a zh-Hans and an English message, optional field errors.

Views show `message` in the active language; the API answers
`{"error": {"code", "message", "messages", "fields"}}` with `status`.
"""

from kefu.core.language import say


class DomainError(Exception):
    status = 400

    def __init__(
        self,
        code: str,
        zh: str,
        en: str,
        *,
        fields: dict | None = None,
        status: int | None = None,
        extra: dict | None = None,
    ):
        super().__init__(f"{code}: {en}")
        self.code = code
        self.zh = zh
        self.en = en
        self.fields = fields or {}
        self.extra = extra or {}
        if status is not None:
            self.status = status

    @property
    def message(self) -> str:
        return say(self.zh, self.en)

    def as_envelope(self) -> dict:
        body = {
            "code": self.code,
            "message": self.message,
            "messages": {"zh-hans": self.zh, "en": self.en},
            "fields": self.fields,
        }
        body.update(self.extra)
        return {"error": body}


class NotFound(DomainError):
    """Missing or outside the caller's data scope — the two are indistinguishable on purpose."""

    status = 404

    def __init__(self, what_zh: str = "记录", what_en: str = "record"):
        super().__init__("not_found", f"{what_zh}不存在或无权查看", f"{what_en} not found", status=404)


class PermissionDenied(DomainError):
    status = 403

    def __init__(
        self,
        zh: str = "您没有执行此操作的权限",
        en: str = "You are not allowed to do this",
        code: str = "forbidden",
    ):
        super().__init__(code, zh, en, status=403)


class Invalid(DomainError):
    """Bad input for a domain rule; `fields` maps field name → message."""

    status = 400

    def __init__(self, code: str, zh: str, en: str, fields: dict | None = None):
        super().__init__(code, zh, en, fields=fields, status=400)


class Conflict(DomainError):
    status = 409

    def __init__(self, code: str, zh: str, en: str, **extra):
        super().__init__(code, zh, en, status=409, extra=extra)
