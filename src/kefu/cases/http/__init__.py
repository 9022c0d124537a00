"""Case API under /api/v1/cases and the public intake under /api/v1/public. One router per concern.

The intake router (`intake.py`: receipt, list, detail, transitions, comments, routing)
is the mounted router itself, so that its root endpoints answer at /api/v1/cases (a nested router
would add a trailing slash); the others hang below it. `public.router` is mounted on its own (no
login).

OpenAPI operation ids are part of the API's contract (clients are generated from them): each
router's keep the name of the module its routes were first written in, whatever module holds them
now.
"""

from ninja import Router

from kefu.cases.http import attachments, callers, calls, complaints, config, handoffs, intake, public
from kefu.cases.http import hardship as http_hardship

# the operation ids' prefixes, from the modules the routes were first written in
OPERATION_PREFIXES = (
    (intake.router, "kefu_cases_http_cases"),
    (attachments.router, "kefu_cases_http_cases"),
    (callers.router, "kefu_cases_http_callers"),
    (config.router, "kefu_cases_http_config"),
    (complaints.router, "kefu_cases_http_handling"),
    (handoffs.router, "kefu_cases_http_handling"),
    (calls.router, "kefu_cases_http_calls"),
    (public.router, "kefu_cases_http_public"),
    (http_hardship.router, "kefu_cases_http_hardship"),
)


def _keep_operation_ids(router: Router, prefix: str) -> None:
    for path_view in router.path_operations.values():
        for operation in path_view.operations:
            if operation.operation_id is None:
                operation.operation_id = f"{prefix}_{operation.view_func.__name__}"


for _router, _prefix in OPERATION_PREFIXES:
    _keep_operation_ids(_router, _prefix)

router = intake.router
router.add_router("", attachments.router)  # a case's files
router.add_router("", callers.router)  # the caller's history by phone (new case)
router.add_router("", config.router)  # kinds and skill groups (CASE-1, ROUTE-1), supervisor overview
router.add_router("", complaints.router)  # closure reports, compensation, staff-caused, root cause
router.add_router("", handoffs.router)  # cross-department 报备 (CASE-8)
router.add_router("", calls.router)  # calls answered within rings, the major-quality notice (SLA-1)
router.add_router("", http_hardship.router)  # 逾期报备 (HRD-1)

__all__ = ["public", "router"]
