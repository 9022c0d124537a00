"""What every documents action shares (DOC-1): cleaned text, the refusal, the manage check over a unit."""

from kefu.core.actor import Actor
from kefu.core.errors import Invalid, PermissionDenied
from kefu.documents.queries.common import MANAGE
from kefu.org import access
from kefu.org.models import Unit


def text(value, field: str, zh: str, *, required: bool = True, limit: int = 4000) -> str:
    cleaned = str(value or "").strip()
    if required and not cleaned:
        raise Invalid(
            f"documents_{field}_required", f"请填写{zh}", f"{field} is required", {field: "required"}
        )
    if len(cleaned) > limit:
        raise Invalid(f"documents_{field}_long", f"{zh}过长", f"{field} is too long", {field: "too_long"})
    return cleaned


def refuse() -> PermissionDenied:
    return PermissionDenied(
        "只有该单位的制度与计划管理人员可以执行此操作",
        "Only a documents manager of the unit may do this",
        code="documents_forbidden",
    )


def require_manage(actor: Actor, unit: Unit) -> None:
    """documents.manage reaching `unit` (the target of the write), else refused."""
    access.require_write(actor, MANAGE)
    if not access.write_in_scope(actor, MANAGE, unit=unit, owner_id=None):
        raise refuse()
