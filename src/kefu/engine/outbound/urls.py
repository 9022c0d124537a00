from django.urls import path

from kefu.engine.outbound import views

app_name = "outbound"

urlpatterns = [
    path("outbound/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("outbound/sms/receipts/", views.receipt, name="sms_receipt"),
    path("outbound/sms/replies/", views.reply, name="sms_reply"),
]
