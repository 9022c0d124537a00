"""Case pages. Each concern has its own url module, so they can grow apart."""

from django.urls import include, path

app_name = "cases"

urlpatterns = [
    path("", include("kefu.cases.urls_workbench")),  # agent: queue, case page, new case
    path("", include("kefu.cases.urls_supervisor")),  # supervisor: team queues, overdue, configuration
    path("", include("kefu.cases.urls_handling")),  # closure reports, compensation, handoffs
    path("", include("kefu.cases.urls_public")),  # public form and status page (no login)
]
