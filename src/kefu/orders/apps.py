from django.apps import AppConfig


class Config(AppConfig):
    """Orders and delivery follow-up (ORD-1; seed 001 客服部门机制方案初稿, 线上客服 2.1–2.7): the order
    from the catalogue, the stock and sales-policy check, the amount, the customer's confirmation, the
    finance gate, the shipment notice with the carrier's phone, the arrival revisit, returns."""

    name = "kefu.orders"
    label = "orders"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # why: these modules use the models, which may be imported only once the app registry is ready
        from django.utils.translation import gettext_lazy as _

        from kefu.core import decisions
        from kefu.customers import timeline
        from kefu.orders.queries import orders as order_queries

        timeline.KIND_LABELS.setdefault("order", _("Sales order"))
        timeline.register("orders", order_queries.timeline_entries)  # CUS-9: the customer's orders
        decisions.describe(  # ORD-1: the stock and sales-policy check on the order's 为什么 panel
            inputs={
                "order_lines": ("订单项数", "order lines"),
                "order_total": ("订单金额（元）", "order amount (yuan)"),
                "price_versions": ("价目版本", "price versions"),
            }
        )
