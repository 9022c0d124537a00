from django.urls import path

from kefu.insights.views import cards, dashboards, kpis, month, reports

app_name = "insights"

urlpatterns: list = [
    path("insights/kpis/", kpis.page, name="kpis"),  # KPI-1
    path("insights/kpis/<slug:code>/", kpis.records, name="kpi_records"),
    *reports.urlpatterns,  # RPT-1
    *dashboards.urlpatterns,  # 今日
    *cards.urlpatterns,  # the per-agent card
    *month.urlpatterns,  # 本月
]
