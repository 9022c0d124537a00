"""Quality API under /api/v1/quality, one router per concern."""

from ninja import Router

router = Router(tags=["quality"])

from kefu.quality.http import qcgroups, training  # noqa: E402  QC-1, TRN-1

router.add_router("/qcgroups", qcgroups.router)
router.add_router("/training", training.router)
from kefu.quality.http import calibration, inspections, scorecards  # noqa: E402  QA-1

router.add_router("/inspections", inspections.router)
router.add_router("", scorecards.router)
router.add_router("/calibrations", calibration.router)
from kefu.quality.http import appraisals  # noqa: E402  APR-1

router.add_router("/appraisals", appraisals.router)
