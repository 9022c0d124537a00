"""The customer API under /api/v1/customers — one router (schemas in `schemas/`) per concern:
`archive` (the list, one customer, create, change), `changes` (CUS-4), `contacts` (CUS-1),
`assignment` (CUS-7). `router` is what the project mounts (kefu/http.py): the archive's collection
router, the others added to it. OpenAPI operation ids keep the names of the single module the routes
were first written in (`kefu_customers_http_…`): clients are generated from them."""

from kefu.customers.http import archive, assignment, changes, contacts

router = archive.router
router.add_router("", changes.router)  # before `archive.one`: /{customer_id} would take "change-requests"
router.add_router("", archive.one)
router.add_router("", contacts.router)
router.add_router("", assignment.router)

__all__ = ["router"]
