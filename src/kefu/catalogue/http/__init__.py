"""Catalogue API under /api/v1/catalogue (PRC-1): items and their price versions, proposals and their
approval, the price in effect on a day, and the charges of a case."""

from ninja import Router

router = Router(tags=["catalogue"])

from kefu.catalogue.http import charges, items  # noqa: E402  PRC-1

router.add_router("", items.router)
router.add_router("/cases", charges.router)
