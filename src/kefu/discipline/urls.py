from django.urls import path

from kefu.discipline import views

app_name = "discipline"

urlpatterns = [
    path("discipline/", views.ledger, name="ledger"),
    path("discipline/<int:pk>/", views.detail, name="detail"),
    path("discipline/<int:pk>/decide/", views.decide, name="decide"),
]
