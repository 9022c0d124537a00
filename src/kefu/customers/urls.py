from django.urls import path

from kefu.customers.views import archive, assignment, changes, contacts

app_name = "customers"

urlpatterns = [
    path("customers/", archive.customer_list, name="list"),
    path("customers/new/", archive.customer_create, name="create"),
    path("customers/change-requests/", changes.change_requests, name="change_requests"),
    path(
        "customers/change-requests/<int:pk>/decide/",
        changes.change_request_decide,
        name="change_request_decide",
    ),
    path("customers/<int:pk>/", archive.customer_detail, name="detail"),
    path("customers/<int:pk>/edit/", archive.customer_edit, name="edit"),
    path("customers/<int:pk>/contacts/", contacts.contact_add, name="contact_add"),
    path("customers/<int:pk>/contact-records/", assignment.contact_record, name="contact_record"),
    path("customers/<int:pk>/assign/", assignment.assign, name="assign"),
    path("customers/<int:pk>/archive-complete/", archive.archive_complete, name="archive_complete"),
]
