from django.urls import path

from kefu.catalogue.views import charges, items  # PRC-1

app_name = "catalogue"

urlpatterns: list = [
    path("catalogue/", items.catalogue, name="catalogue"),
    path("catalogue/items/<int:pk>/", items.item, name="item"),
    path("catalogue/changes/<int:pk>/decide/", items.decide, name="decide"),
    path("cases/<int:pk>/charges/", charges.case_charges, name="case_charges"),
]
