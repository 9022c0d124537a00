from django.urls import path

from kefu.engine.policy import views

app_name = "policy"

urlpatterns = [
    path("policy/", views.policy_list, name="list"),
    path("policy/<str:key>/edit/", views.policy_edit, name="edit"),
    path("policy/<str:key>/override/", views.policy_override, name="override"),
]
