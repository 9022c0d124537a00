from django.urls import path

from kefu.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("knowledge/", views.article_list, name="list"),
    path("knowledge/new/", views.article_create, name="create"),
    path("knowledge/<int:pk>/", views.article_detail, name="detail"),
    path("knowledge/<int:pk>/edit/", views.article_edit, name="edit"),
    path("knowledge/<int:pk>/publish/", views.article_publish, name="publish"),
    path("knowledge/<int:pk>/archive/", views.article_archive, name="archive"),
]
