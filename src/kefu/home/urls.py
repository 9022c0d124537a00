from django.urls import path

from kefu.home import views

urlpatterns = [
    path("", views.home, name="home"),
    path("profile/", views.profile, name="profile"),
    path("profile/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("profile/tokens/", views.token_create, name="profile_token_create"),
    path("profile/tokens/<int:pk>/revoke/", views.token_revoke, name="profile_token_revoke"),
    path("act-for/", views.act_for, name="act_for"),
    path("act-for/stop/", views.act_for_stop, name="act_for_stop"),
    path("audit/", views.audit_log, name="audit"),
    path("audit/verify/", views.audit_verify, name="audit_verify"),
]
