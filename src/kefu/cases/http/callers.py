"""The caller's history under /api/v1/cases/callers (issue 13): what the new-case page shows for a
phone, for the same readers (case.handle and an employee, whose unit receives the case)."""

from ninja import Query, Router

from kefu.cases.http.schemas.callers import CallerOut
from kefu.cases.queries import callers
from kefu.core.errors import Invalid, PermissionDenied
from kefu.core.http_support import actor
from kefu.org import access

router = Router(tags=["cases"])


def _out(found: callers.Caller) -> dict:
    customer = found.customer
    return {
        "masked_phone": found.masked_phone,
        "customer": customer
        and {
            "id": customer.pk,
            "name": customer.name,
            "masked_phone": found.masked_phone,
            "tier": customer.tier,
            "unit": customer.unit.name,
        },
        "open_cases": found.open_cases,
        "recent_cases": found.recent_cases,
        "claim": found.claim,
    }


@router.get("/callers", response=CallerOut, summary="Issue 13: the caller's history by phone")
def caller(request, phone: str = Query(..., max_length=30)):
    current = actor(request)
    employee = access.employee_of(current.principal)
    if not access.can(current, "case.handle") or employee is None:
        raise PermissionDenied(
            "您没有受理工单的权限", "You may not receive cases", code="case_handle_forbidden"
        )
    found = callers.caller(current, phone, unit=employee.unit)
    if found is None:
        raise Invalid(
            "caller_phone_invalid", "请输入完整的电话号码", "Type the full phone number", {"phone": "invalid"}
        )
    return _out(found)
