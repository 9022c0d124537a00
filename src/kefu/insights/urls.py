from django.urls import path  # noqa: F401  (views are added per concern)

from kefu.insights.views import dashboards

app_name = "insights"

urlpatterns: list = []
urlpatterns += dashboards.urlpatterns
