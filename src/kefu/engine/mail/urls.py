from django.urls import path

from kefu.engine.mail import views

app_name = "mail"

urlpatterns = [
    path("mail/", views.index, name="index"),
    path("mail/in/<int:pk>/retry/", views.retry_inbound, name="retry_inbound"),
    path("mail/out/<int:pk>/retry/", views.retry_outbound, name="retry_outbound"),
]
