"""Orders API under /api/v1/orders (ORD-1): one concern, its router is the app's."""

from kefu.orders.http.orders import router  # noqa: F401  ORD-1
