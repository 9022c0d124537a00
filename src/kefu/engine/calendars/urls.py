from django.urls import path

from kefu.engine.calendars import views

app_name = "calendars"

urlpatterns = [
    path("engine/calendars/", views.index, name="index"),
    path("engine/calendars/import/", views.import_year, name="import"),
    path("engine/calendars/<slug:code>/month/", views.month, name="month"),
    path("engine/calendars/import/confirm/", views.import_confirm, name="import_confirm"),
    path("engine/calendars/overrides/", views.override_create, name="override_create"),
    path("engine/calendars/overrides/<int:pk>/remove/", views.override_remove, name="override_remove"),
]
