"""Supervisor pages: the team overview (ROUTE-1, SLA-2, CASE-6) and the configuration (CASE-1)."""

from django.urls import path

from kefu.cases import views_supervisor as views

urlpatterns = [
    path("cases/team/", views.team, name="team"),
    path("cases/team/people/<int:pk>/availability/", views.availability, name="team_availability"),
    path("cases/team/queue/<int:pk>/assign/", views.assign, name="team_assign"),
    path("cases/config/kinds/", views.kinds, name="config_kinds"),
    path("cases/config/kinds/new/", views.kind_new, name="config_kind_new"),
    path("cases/config/kinds/<int:pk>/", views.kind_edit, name="config_kind"),
    path("cases/config/groups/", views.groups, name="config_groups"),
    path("cases/config/groups/new/", views.group_new, name="config_group_new"),
    path("cases/config/groups/<int:pk>/", views.group_edit, name="config_group"),
]
