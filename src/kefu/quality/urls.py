from django.urls import path  # noqa: F401  (views are added per concern)

app_name = "quality"

urlpatterns: list = []
