from django.urls import path

from kefu.customers.governance import views

app_name = "customer_governance"

urlpatterns = [
    path("customers/governance/", views.index, name="index"),
    path("customers/governance/borrowings/", views.borrowings, name="borrowings"),
    path("customers/governance/borrowings/<int:pk>/return/", views.borrowing_return, name="borrowing_return"),
    path("customers/governance/dossier/<int:customer_id>/", views.dossier, name="dossier"),
    path("customers/governance/access/", views.access_requests, name="access"),
    path("customers/governance/export/", views.export, name="export"),
    path("customers/governance/imports/", views.imports, name="imports"),
    path("customers/governance/imports/template.xlsx", views.import_template, name="import_template"),
    path("customers/governance/imports/<int:pk>/", views.import_detail, name="import"),
    path("customers/governance/imports/<int:pk>/errors.xlsx", views.import_errors, name="import_errors"),
    path("customers/governance/destruction/", views.destruction, name="destruction"),
    path("customers/governance/incidents/", views.incidents, name="incidents"),
    path("customers/governance/duplicates/", views.duplicates, name="duplicates"),
    path("customers/governance/steps/<int:step_id>/decide/", views.decide, name="decide"),
    path("customers/governance/duplicates/<int:pk>/", views.merge_detail, name="merge"),
    path("customers/governance/destruction/<int:pk>/", views.destruction_detail, name="destruction_request"),
    path("customers/governance/access/<int:pk>/", views.access_detail, name="access_request"),
    path("customers/governance/borrowings/<int:pk>/", views.borrowing_detail, name="borrowing"),
    path(
        "customers/governance/customers/<int:customer_id>/claims/",
        views.claim_history,
        name="claim_history",
    ),
]
