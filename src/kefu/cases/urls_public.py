"""Public pages (CASE-2), no login: /service/ lists the subsidiaries, /service/<code>/ is the form,
/service/status/<number>/?s=<secret> the status page."""

from django.urls import path

from kefu.cases import views_public

urlpatterns = [
    path("service/", views_public.index, name="public_index"),
    path("service/status/<str:number>/", views_public.status, name="public_status"),
    path("service/<slug:code>/", views_public.submit, name="public_form"),
]
