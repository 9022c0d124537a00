from django.urls import path

from kefu.customers import views

app_name = "customers"

urlpatterns = [
    path("customers/", views.customer_list, name="list"),
    path("customers/new/", views.customer_create, name="create"),
    path("customers/change-requests/", views.change_requests, name="change_requests"),
    path(
        "customers/change-requests/<int:pk>/decide/",
        views.change_request_decide,
        name="change_request_decide",
    ),
    path("customers/<int:pk>/", views.customer_detail, name="detail"),
    path("customers/<int:pk>/edit/", views.customer_edit, name="edit"),
    path("customers/<int:pk>/contacts/", views.contact_add, name="contact_add"),
    path("customers/<int:pk>/contact-records/", views.contact_record, name="contact_record"),
    path("customers/<int:pk>/assign/", views.assign, name="assign"),
    path("customers/<int:pk>/archive-complete/", views.archive_complete, name="archive_complete"),
]
