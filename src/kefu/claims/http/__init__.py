"""The 报备 HTTP API under /api/v1/claims — one router (with its schemas) per concern: `register`,
`disputes`, `deals`, `reports` (/process-reports), `daily` (/daily). `router` is what the project
mounts (kefu/http.py): the register router, the others added to it."""

from kefu.claims.http import daily, deals, disputes, register, reports

router = register.router
router.add_router("", disputes.router)
router.add_router("", deals.router)
router.add_router("/process-reports", reports.router)  # CLM-11
router.add_router("/daily", daily.router)  # CLM-12

__all__ = ["router"]
