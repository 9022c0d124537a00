"""Emergency models, one module per concern; each concern's models are imported here."""

from kefu.emergency.models.bodies import Body, BodyKind, Slot  # noqa: F401  EMG-2
from kefu.emergency.models.drills import (  # noqa: F401  DRL-1
    Drill,
    DrillAction,
    DrillGrade,
    DrillParticipant,
    DrillReminder,
    DrillStatus,
    DrillStep,
    StepResult,
)
from kefu.emergency.models.fees import Quote, QuoteLine, QuotePayment  # noqa: F401  FEE-1
from kefu.emergency.models.incidents import (  # noqa: F401  EMG-4
    OPEN_STATUSES,
    ChangeKind,
    Incident,
    IncidentChange,
    IncidentEvent,
    IncidentNotice,
    IncidentPhoto,
    IncidentResource,
    IncidentSource,
    IncidentStatus,
    IncidentTask,
    NoticeAudience,
)
from kefu.emergency.models.levels import Level  # noqa: F401  EMG-3
from kefu.emergency.models.plans import (  # noqa: F401  EMG-1, EMG-6
    Confidentiality,
    Distribution,
    Plan,
    PlanStep,
    PlanType,
    PlanVersion,
    Power,
    RevisionReason,
    RevisionTask,
)
from kefu.emergency.models.resources import (  # noqa: F401  RES-1
    InspectionResult,
    Movement,
    Resource,
    ResourceInspection,
    ResourceKind,
)
from kefu.emergency.models.surges import Surge, SurgeCase  # noqa: F401  EMG-5
from kefu.emergency.models.weather import Bulletin, BulletinState, Forecast  # noqa: F401  WX-1
