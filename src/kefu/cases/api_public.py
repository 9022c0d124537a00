"""The public intake API (no login): POST /api/v1/public/cases, status by reference and secret."""

from ninja import Router

router = Router(tags=["public"])
