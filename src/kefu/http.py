"""The HTTP API: django-ninja under /api/v1, OpenAPI at /api/v1/openapi.json, docs at /api/docs.

Every app's router is mounted here. Authentication is required everywhere (bearer token or the
browser session with CSRF); only the OpenAPI document and the docs page are public.
"""

from ninja.openapi.docs import Swagger

from kefu import __version__
from kefu.claims.http import router as claims_router
from kefu.core.http import router as core_router
from kefu.core.http_support import KefuAPI, SessionAuth, TokenAuth, install_error_handlers
from kefu.customers.governance.http import router as customer_governance_router
from kefu.customers.http import router as customers_router
from kefu.engine.calendars.http import router as calendars_router
from kefu.engine.notifications.http import router as notifications_router
from kefu.engine.policy.http import router as policy_router
from kefu.engine.workflow.http import router as approvals_router
from kefu.org.http import router as org_router

api = KefuAPI(
    title="kefu API",
    version=__version__,
    description="kefu 客服运营平台 API. Authenticate with `Authorization: Bearer <token>` "
    "(create tokens on your profile page or with `kefu token create USERNAME`). "
    "Act under a delegation (ORG-5) with `X-Kefu-Delegation: <delegation id>`. "
    "Lists take `limit` (default 50, at most 200) and `offset` (at most 2147483647) and answer "
    '`{"items": [...], "count": N}`. Integers are 64-bit; date parameters lie in the years 1900–2999. '
    'Every refusal (4XX) answers `{"error": {"code", "message", "messages", "fields"}}`.',
    auth=[TokenAuth(), SessionAuth(csrf=True)],
    urls_namespace="api",
    # Served at /api/docs by `api.docs_page` (see kefu.urls) rather than under /api/v1/. Swagger UI comes from
    # ninja's vendored static files (ninja is in INSTALLED_APPS, so no CDN template is used). Its
    # template has no inline script or style (the settings travel in a non-executed
    # <script type="application/json"> read by the static swagger-ui-init.js), so the site-wide CSP
    # `script-src 'self'; style-src 'self'` holds unchanged. The validator badge would load an image
    # from validator.swagger.io: switched off (no external URL in any page).
    docs=Swagger(settings={"validatorUrl": None}),
    docs_url=None,
)
install_error_handlers(api)
api.add_router("/", core_router)
api.add_router("/org", org_router)
api.add_router("/customers", customers_router)
api.add_router("/policy", policy_router)
api.add_router("/calendars", calendars_router)
api.add_router("/notifications", notifications_router)
api.add_router("/approvals", approvals_router)
api.add_router("/claims", claims_router)
api.add_router("/customers/governance", customer_governance_router)
api.add_router("/discipline", "kefu.discipline.http.router")
api.add_router("/cases", "kefu.cases.http.router")
api.add_router("/followups", "kefu.followups.http.router")
api.add_router("/workforce", "kefu.workforce.http.router")
api.add_router("/quality", "kefu.quality.http.router")
api.add_router("/insights", "kefu.insights.http.router")
api.add_router("/emergency", "kefu.emergency.http.router")
api.add_router("/vendors", "kefu.vendors.http.router")  # VEN-1
api.add_router("/documents", "kefu.documents.http.router")  # DOC-1
api.add_router("/catalogue", "kefu.catalogue.http.router")  # PRC-1
api.add_router("/orders", "kefu.orders.http.router")  # ORD-1
api.add_router("/public", "kefu.cases.http.public.router")  # no login: the public intake form (CASE-2)
api.add_router("/public/surveys", "kefu.followups.http.surveys.public_router")  # no login: CSAT-1 answers
api.add_router("/knowledge", "kefu.knowledge.http.router")
api.add_router("/search", "kefu.search.http.router")
