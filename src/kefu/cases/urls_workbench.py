"""Agent workbench: 我的工单, the new-case form and the case page with its forms."""

from django.urls import path

from kefu.cases import views_case, views_workbench

urlpatterns = [
    path("cases/", views_workbench.queue, name="queue"),
    path("cases/new/", views_workbench.new_case, name="new"),
    path("cases/<int:pk>/", views_case.case_page, name="case"),
    path("cases/<int:pk>/transitions/<slug:name>/", views_case.transition, name="transition"),
    path("cases/<int:pk>/comment/", views_case.comment, name="comment"),
    path("cases/<int:pk>/transfer/", views_case.transfer, name="transfer"),
    path("cases/<int:pk>/escalate/", views_case.escalate, name="escalate"),
    path("cases/<int:pk>/verify/", views_case.verify, name="verify"),
    path("cases/<int:pk>/attachments/", views_case.attach, name="attach"),
    path("cases/<int:pk>/attachments/<int:attachment>/", views_case.download, name="attachment"),
    path("cases/<int:pk>/articles/<int:article>/use/", views_case.use_article, name="use_article"),
]
