"""Vendor filings API under /api/v1/vendors (VEN-1), one router per concern."""

from ninja import Router

from kefu.vendors.http import filings, reviews, supervision

router = Router(tags=["vendors"])
router.add_router("/filings", filings.router)
router.add_router("/filings", reviews.router)
router.add_router("/filings", supervision.router)
