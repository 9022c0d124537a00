from kefu.quality.models.qcgroups import (  # noqa: F401  QC-1
    ActivityKind,
    FlagKind,
    QcActivity,
    QcFlag,
    QcGroup,
    Registration,
    Stage,
)
from kefu.quality.models.training import (  # noqa: F401  TRN-1
    Attempt,
    Course,
    Enrolment,
    Exam,
    Onboarding,
    Question,
    Session,
)
