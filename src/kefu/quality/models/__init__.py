from kefu.quality.models.appraisals import (  # noqa: F401  APR-1
    AppraisalItem,
    AppraisalResult,
    AppraisalRound,
    AppraisalScheme,
    AppraisalScore,
    CoachingNote,
    CoachingPlan,
    CoachingState,
    ItemKind,
    PeriodKind,
    RoundState,
)
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
from kefu.quality.models.qcgroups import (  # noqa: F401  QC-1
    ActivityKind,
    FlagKind,
    QcActivity,
    QcFlag,
    QcGroup,
    Registration,
    Stage,
)
from kefu.quality.models.sampling import RiskFactor, SamplingPlan  # noqa: F401  QA-1
from kefu.quality.models.scorecards import Scorecard, ScorecardItem  # noqa: F401  QA-1
from kefu.quality.models.training import (  # noqa: F401  TRN-1
    Attempt,
    Course,
    Enrolment,
    Exam,
    Onboarding,
    Question,
    Session,
)
