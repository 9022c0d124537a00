from django.urls import path

from kefu.claims.views import daily, deals, disputes, register, reports

app_name = "claims"

urlpatterns = [
    path("claims/", register.mine, name="mine"),
    path("claims/register/", register.register, name="register"),
    path("claims/<int:pk>/", register.detail, name="detail"),
    path("claims/<int:pk>/deposit/", register.deposit, name="deposit"),
    path("claims/<int:pk>/end/", register.end, name="end"),
    path("claims/<int:pk>/deal/", deals.deal, name="deal"),
    path("claims/<int:pk>/choice/", register.choice, name="choice"),
    path("claims/registers/", register.departments, name="registers"),
    path("claims/registers/<int:pk>/", register.department_register, name="register_of"),
    path("claims/disputes/", disputes.disputes, name="disputes"),
    path("claims/disputes/<int:pk>/", disputes.dispute, name="dispute"),
    path("claims/disputes/<int:pk>/rule/", disputes.rule, name="rule"),
    path("claims/disputes/<int:pk>/evidence/", disputes.evidence, name="evidence"),
    path("claims/reports/", reports.reports, name="reports"),
    path("claims/reports/new/", reports.report_new, name="report_new"),
    path("claims/reports/<int:pk>/", reports.report, name="report"),
    path("claims/reports/<int:pk>/review/", reports.review, name="report_review"),
    path("claims/reports/<int:pk>/assign/", reports.assign, name="report_assign"),
    path("claims/reports/<int:pk>/feedback/", reports.feedback, name="report_feedback"),
    path("claims/reports/<int:pk>/archive/", reports.archive, name="report_archive"),
    path("claims/reports/<int:pk>/plans/", reports.plan, name="report_plan"),
    path("claims/daily/", daily.daily, name="daily"),
    path("claims/daily/submit/", daily.daily_submit, name="daily_submit"),
]
