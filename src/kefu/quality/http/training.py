"""Training under /api/v1/quality/training (TRN-1): courses, exams (the answer key never leaves the
server), training sessions, my enrolments, attempts scored on the server, onboarding of new agents."""

from datetime import datetime

from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from kefu.core.http_support import Pagination, StrictSchema, actor
from kefu.org import access
from kefu.org.queries import employee_named
from kefu.quality.actions import training as actions
from kefu.quality.queries import qcgroups as units
from kefu.quality.queries import training as queries

router = Router(tags=["quality"])


class TrainingCourseOut(Schema):
    id: int
    title: str
    unit_id: int
    unit_name: str = Field(validation_alias="unit.name")
    required_for_new: bool
    materials: str


class ExamQuestionOut(Schema):
    id: int
    order: int
    text: str
    choices: list[str]
    points: int


class ExamOut(Schema):
    id: int
    course_id: int
    pass_score: int
    questions: list[ExamQuestionOut] = Field(validation_alias="question_rows")


class TrainingEnrolmentOut(Schema):
    id: int
    course_id: int
    employee_id: int
    employee_name: str = Field(validation_alias="employee.name")
    enrolled_at: datetime
    passed_at: datetime | None


class ExamAttemptOut(Schema):
    id: int
    exam_id: int
    employee_id: int
    score: int
    passed: bool
    submitted_at: datetime


class TrainingOnboardingOut(Schema):
    id: int
    employee_id: int
    employee_name: str = Field(validation_alias="employee.name")
    started_at: datetime
    cleared_at: datetime | None


class TrainingSessionOut(Schema):
    id: int
    course_id: int
    starts_at: datetime
    place: str


class TrainingSessionIn(StrictSchema):
    starts_at: datetime = Field(description="the start; without a zone it is local time")
    place: str = Field("", max_length=100)


class TrainingCourseIn(StrictSchema):
    title: str = Field(max_length=200)
    unit_id: int
    required_for_new: bool = False
    materials: str = Field("", max_length=20000)


class ExamQuestionIn(StrictSchema):
    text: str = Field(max_length=500)
    choices: list[str] = Field(min_length=2, max_length=8)
    answer: int = Field(ge=0, le=7, description="index of the right choice (kept on the server)")
    points: int = Field(1, ge=1, le=100)


class ExamIn(StrictSchema):
    questions: list[ExamQuestionIn] = Field(min_length=1, max_length=100)


class TrainingPersonIn(StrictSchema):
    employee_id: int


class ExamAttemptIn(StrictSchema):
    answers: dict[str, int] = Field(description="question id → the index of the chosen answer")


def _exam(exam):
    exam.question_rows = list(exam.questions.all())
    return exam


@router.get(
    "/courses", response=list[TrainingCourseOut], summary="Courses I manage or am enrolled in (TRN-1)"
)
@paginate(Pagination)
def list_courses(request):
    return queries.courses(actor(request))


@router.post("/courses", response={201: TrainingCourseOut}, summary="Create a course (TRN-1)")
def create_course(request, payload: TrainingCourseIn):
    me = actor(request)
    course = actions.create_course(
        me,
        title=payload.title,
        unit=units.unit_named(payload.unit_id, "unit_id"),
        required_for_new=payload.required_for_new,
        materials=payload.materials,
    )
    return Status(201, queries.course(me, course.pk))


@router.get(
    "/courses/{course_id}/exam", response=ExamOut, summary="The course's exam, without the answer key"
)
def get_exam(request, course_id: int):
    return _exam(queries.exam_required(queries.course(actor(request), course_id)))


@router.put("/courses/{course_id}/exam", response=ExamOut, summary="Set the exam's questions and key (TRN-1)")
def set_exam(request, course_id: int, payload: ExamIn):
    me = actor(request)
    course = queries.course(me, course_id)
    exam = actions.set_exam(me, course, [q.model_dump() for q in payload.questions])
    return _exam(exam)


@router.post(
    "/courses/{course_id}/enrolments", response={201: TrainingEnrolmentOut}, summary="Enrol a person"
)
def enrol(request, course_id: int, payload: TrainingPersonIn):
    me = actor(request)
    course = queries.course(me, course_id)
    return Status(201, actions.enrol(me, course, employee_named(payload.employee_id, "employee_id")))


@router.get(
    "/courses/{course_id}/sessions", response=list[TrainingSessionOut], summary="The course's sessions"
)
def sessions(request, course_id: int):
    return list(queries.sessions(queries.course(actor(request), course_id)))


@router.post(
    "/courses/{course_id}/sessions",
    response={201: TrainingSessionOut},
    summary="Add a training session: start and place; enrolled people told (TRN-1)",
)
def add_session(request, course_id: int, payload: TrainingSessionIn):
    me = actor(request)
    course = queries.course(me, course_id)
    return Status(201, actions.add_session(me, course, starts_at=payload.starts_at, place=payload.place))


@router.get(
    "/courses/{course_id}/results", response=list[TrainingEnrolmentOut], summary="Results for the manager"
)
def results(request, course_id: int):
    me = actor(request)
    return queries.results(me, queries.course(me, course_id))


@router.post(
    "/courses/{course_id}/attempts",
    response={201: ExamAttemptOut},
    summary="Take the exam: answers scored on the server; retake after failing (TRN-1)",
)
def attempt(request, course_id: int, payload: ExamAttemptIn):
    me = actor(request)
    exam = queries.exam_required(queries.course(me, course_id))
    return Status(201, actions.submit_attempt(me, exam, payload.answers))


@router.get("/mine", response=list[ExamAttemptOut], summary="My exam attempts")
def mine(request):
    me = access.employee_of(actor(request).principal)
    return queries.my_attempts(me) if me is not None else []


@router.get("/onboardings", response=list[TrainingOnboardingOut], summary="New agents in onboarding (TRN-1)")
def onboardings(request):
    return list(queries.onboardings(actor(request)))


@router.post(
    "/onboardings", response={201: TrainingOnboardingOut}, summary="Start a new agent's onboarding (TRN-1)"
)
def start_onboarding(request, payload: TrainingPersonIn):
    me = actor(request)
    return Status(201, actions.start_onboarding(me, employee_named(payload.employee_id, "employee_id")))
