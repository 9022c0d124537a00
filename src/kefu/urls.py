from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from kefu import health
from kefu.http import api

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", RedirectView.as_view(url=static("web/favicon.svg"), permanent=True)),
    path("api/docs", api.docs_page, name="api-docs"),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
    path("", include("kefu.org.urls")),
    path("", include("kefu.customers.urls")),
    path("", include("kefu.claims.urls")),
    path("", include("kefu.discipline.urls")),
    path("", include("kefu.cases.urls")),
    path("", include("kefu.followups.urls")),
    path("", include("kefu.workforce.urls")),
    path("", include("kefu.quality.urls")),
    path("", include("kefu.insights.urls")),
    path("", include("kefu.emergency.urls")),
    path("", include("kefu.vendors.urls")),  # VEN-1
    path("", include("kefu.documents.urls")),
    path("", include("kefu.catalogue.urls")),
    path("", include("kefu.orders.urls")),
    path("", include("kefu.knowledge.urls")),
    path("", include("kefu.search.urls")),
    path("", include("kefu.engine.policy.urls")),
    path("", include("kefu.engine.calendars.urls")),
    path("", include("kefu.engine.notifications.urls")),
    path("", include("kefu.engine.mail.urls")),
    path("", include("kefu.engine.outbound.urls")),
    path("", include("kefu.engine.workflow.urls")),
    path("", include("kefu.customers.governance.urls")),
    path("", include("kefu.web.urls")),
    path("", include("kefu.home.urls")),
]

handler400 = "kefu.web.views.bad_request"
handler403 = "kefu.web.views.forbidden"
handler404 = "kefu.web.views.not_found"
handler500 = "kefu.web.views.server_error"
