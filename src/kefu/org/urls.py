from django.urls import path

from kefu.org import views, views_delegations

app_name = "org"

urlpatterns = [
    path("org/units/", views.units, name="units"),
    path("org/units/new/", views.unit_create, name="unit_create"),
    path("org/units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("org/sites/new/", views.site_form, name="site_create"),
    path("org/sites/<int:pk>/edit/", views.site_form, name="site_edit"),
    path("org/employees/", views.employees, name="employees"),
    path("org/employees/new/", views.employee_create, name="employee_create"),
    path("org/employees/<int:pk>/", views.employee_detail, name="employee"),
    path("org/employees/<int:pk>/edit/", views.employee_edit, name="employee_edit"),
    path("org/employees/<int:pk>/password/", views.employee_reset_password, name="employee_password"),
    path("org/roles/", views.roles, name="roles"),
    path("org/roles/new/", views.role_form, name="role_create"),
    path("org/roles/<int:pk>/edit/", views.role_form, name="role_edit"),
    path("org/delegations/", views_delegations.delegations, name="delegations"),
    path("org/delegations/new/", views_delegations.delegation_create, name="delegation_create"),
    path("org/delegations/<int:pk>/revoke/", views_delegations.delegation_revoke, name="delegation_revoke"),
]
