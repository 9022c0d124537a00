"""Order models, one module per concern; each concern's models are imported here."""

from kefu.orders.models.orders import (  # noqa: F401  ORD-1
    Order,
    OrderLine,
    OrderReturn,
    OrderState,
    PaymentMethod,
    ReturnKind,
    Stock,
)
