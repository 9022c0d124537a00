"""Catalogue models, one module per concern; each concern's models are imported here."""

from kefu.catalogue.models.charges import CaseCharge  # noqa: F401  PRC-1
from kefu.catalogue.models.items import ChangeKind, PriceVersion, ServiceItem, VersionState  # noqa: F401  PRC-1
