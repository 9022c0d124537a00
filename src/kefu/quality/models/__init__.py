from kefu.quality.models.calibration import Calibration  # noqa: F401  QA-1
from kefu.quality.models.inspections import (  # noqa: F401  QA-1
    FINAL_STATES,
    Appeal,
    AppealOutcome,
    Inspection,
    InspectionScore,
    InspectionState,
    Origin,
)
from kefu.quality.models.sampling import RiskFactor, SamplingPlan  # noqa: F401  QA-1
from kefu.quality.models.scorecards import Scorecard, ScorecardItem  # noqa: F401  QA-1
