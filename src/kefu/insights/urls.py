from django.urls import path

from kefu.insights.views import kpis

app_name = "insights"

urlpatterns: list = [
    path("insights/kpis/", kpis.page, name="kpis"),
    path("insights/kpis/<slug:code>/", kpis.records, name="kpi_records"),
]
