"""Orders API under /api/v1/orders (ORD-1)."""

from ninja import Router

router = Router(tags=["orders"])

from kefu.orders.http import orders  # noqa: E402  ORD-1

router.add_router("", orders.router)
