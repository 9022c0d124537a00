"""The HTTP API: django-ninja under /api/v1, OpenAPI at /api/v1/openapi.json, docs at /api/docs.

Every app's router is mounted here. Authentication is required everywhere (bearer token or the
browser session with CSRF) unless an endpoint says `auth=None` deliberately.
"""

from ninja import NinjaAPI

from kefu import __version__
from kefu.core.api import router as core_router
from kefu.core.api_support import SessionAuth, TokenAuth, install_error_handlers
from kefu.org.api import router as org_router

api = NinjaAPI(
    title="kefu API",
    version=__version__,
    description="kefu 客服运营平台 API. Authenticate with `Authorization: Bearer <token>` "
    "(create tokens on your profile page or with `kefu token create USERNAME`). "
    'Errors answer `{"error": {"code", "message", "messages", "fields"}}`.',
    auth=[TokenAuth(), SessionAuth(csrf=True)],
    urls_namespace="api",
    docs_url=None,
)
install_error_handlers(api)
api.add_router("/", core_router)
api.add_router("/org", org_router)
