from django.urls import path

from kefu.engine.workflow import views

app_name = "workflow"

urlpatterns = [
    path("approvals/", views.pending, name="approvals"),
    path("approvals/<int:step_id>/decide/", views.decide, name="decide"),
]
