from django.urls import path  # noqa: F401  (views are added per concern)

app_name = "insights"

urlpatterns: list = []

from kefu.insights.views import reports  # noqa: E402  RPT-1

urlpatterns += reports.urlpatterns
