from django.urls import path

from kefu.claims import views

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
]
