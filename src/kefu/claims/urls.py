from django.urls import path

from kefu.claims import views, views_daily, views_reports

app_name = "claims"

urlpatterns = [
    path("claims/", views.mine, name="mine"),
    path("claims/register/", views.register, name="register"),
    path("claims/<int:pk>/", views.detail, name="detail"),
    path("claims/<int:pk>/deposit/", views.deposit, name="deposit"),
    path("claims/<int:pk>/end/", views.end, name="end"),
    path("claims/<int:pk>/deal/", views.deal, name="deal"),
    path("claims/<int:pk>/choice/", views.choice, name="choice"),
    path("claims/registers/", views.departments, name="registers"),
    path("claims/registers/<int:pk>/", views.department_register, name="register_of"),
    path("claims/disputes/", views.disputes, name="disputes"),
    path("claims/disputes/<int:pk>/", views.dispute, name="dispute"),
    path("claims/disputes/<int:pk>/rule/", views.rule, name="rule"),
    path("claims/disputes/<int:pk>/evidence/", views.evidence, name="evidence"),
    path("claims/reports/", views_reports.reports, name="reports"),
    path("claims/reports/new/", views_reports.report_new, name="report_new"),
    path("claims/reports/<int:pk>/", views_reports.report, name="report"),
    path("claims/reports/<int:pk>/review/", views_reports.review, name="report_review"),
    path("claims/reports/<int:pk>/assign/", views_reports.assign, name="report_assign"),
    path("claims/reports/<int:pk>/feedback/", views_reports.feedback, name="report_feedback"),
    path("claims/reports/<int:pk>/archive/", views_reports.archive, name="report_archive"),
    path("claims/daily/", views_daily.daily, name="daily"),
    path("claims/daily/submit/", views_daily.daily_submit, name="daily_submit"),
]
