"""Emergency models, one module per concern; each concern's models are imported here."""

from kefu.emergency.models.fees import Quote, QuoteLine, QuotePayment  # noqa: F401  FEE-1
from kefu.emergency.models.resources import (  # noqa: F401  RES-1
    InspectionResult,
    Movement,
    Resource,
    ResourceInspection,
    ResourceKind,
)
from kefu.emergency.models.weather import Bulletin, BulletinState, Forecast  # noqa: F401  WX-1
