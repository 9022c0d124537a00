"""Complaint handling and cross-department 报备 pages (CASE-4, CASE-5, CASE-7, CASE-8)."""

from django.urls import path

from kefu.cases import views_handling as views

urlpatterns = [
    path("cases/<int:pk>/handling/", views.handling, name="handling"),
    path("cases/<int:pk>/closure-report/", views.closure_report, name="closure_report"),
    path("cases/<int:pk>/compensations/", views.compensation, name="compensation"),
    path("cases/<int:pk>/staff-caused/", views.staff_caused, name="staff_caused"),
    path("cases/<int:pk>/staff-caused/verify/", views.verify, name="staff_verify"),
    path("cases/<int:pk>/root-cause/", views.root_cause, name="root_cause"),
    path("cases/<int:pk>/handoffs/", views.send_handoff, name="handoff_send"),
    path("cases/handoffs/", views.inbox, name="handoffs"),
    path("cases/handoffs/<int:hid>/<slug:step>/", views.handoff_step, name="handoff_step"),
    path("cases/recurrences/", views.recurrences, name="recurrences"),
]
