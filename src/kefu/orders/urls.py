from django.urls import path

from kefu.orders.views import orders  # ORD-1

app_name = "orders"

urlpatterns: list = [
    path("orders/", orders.orders, name="orders"),
    path("orders/<int:pk>/", orders.order, name="order"),
    path("orders/<int:pk>/<slug:name>/", orders.step, name="step"),
]
