"""Read paths of training (TRN-1): the courses a person may see (training.manage or training.view in
scope, or enrolled), one course by id (404 outside), an exam to take (never its answer key), my
enrolments and attempts, the results for the manager, and who is still in onboarding — the
condition routing reads (`unqualified_q`, registered with cases at app ready)."""

from django.db.models import Exists, OuterRef, Prefetch, Q

from kefu.core import decisions
from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.core.scopes import scope_q
from kefu.org import access
from kefu.org.models import Employee
from kefu.quality.models import Attempt, Course, Enrolment, Exam, Onboarding

MANAGE = "training.manage"
VIEW = "training.view"
ID_LIMIT = 2**31


def unqualified_q() -> Q:
    """TRN-1: employees in onboarding who have not yet passed (for `Employee` querysets)."""
    return Q(Exists(Onboarding.objects.filter(employee=OuterRef("pk"), cleared_at__isnull=True)))


def in_onboarding(employee: Employee) -> Onboarding | None:
    return Onboarding.objects.filter(employee=employee, cleared_at__isnull=True).first()


def _manager_q(actor: Actor, unit_path: str) -> Q | None:
    grants = [g for code in (MANAGE, VIEW) for g in access.grants(actor, code)]
    return scope_q(grants, unit_path=unit_path, owner=None)


def may_read_results(actor: Actor) -> bool:
    return access.can(actor, MANAGE) or access.can(actor, VIEW)


def courses(actor: Actor):
    condition = _manager_q(actor, "unit__path")
    me = access.employee_of(actor.principal)
    if me is not None:
        mine = Q(Exists(Enrolment.objects.filter(course=OuterRef("pk"), employee=me)))
        condition = mine if condition is None else condition | mine
    if condition is None:
        return Course.objects.none()
    return (
        Course.objects.filter(condition)
        .select_related("unit", "exam")
        .order_by("-required_for_new", "title", "pk")
    )


def course(actor: Actor, pk) -> Course:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = 0
    found = courses(actor).filter(pk=pk).first() if 0 < pk < ID_LIMIT else None
    if found is None:
        raise NotFound("培训课程", "course")
    return found


def may_manage(actor: Actor, course: Course) -> bool:
    return access.may_write(actor, MANAGE, unit=course.unit, owner_id=None)


def sessions(course: Course):
    """The course's training sessions, earliest first (the course itself read through `course`)."""
    return course.sessions.order_by("starts_at", "pk")


def exam_of(course: Course) -> Exam | None:
    return Exam.objects.filter(course=course).prefetch_related("questions").first()


def exam_required(course: Course) -> Exam:
    found = exam_of(course)
    if found is None:
        raise NotFound("考题", "exam")
    return found


def enrolment(course: Course, employee: Employee | None) -> Enrolment | None:
    if employee is None:
        return None
    return Enrolment.objects.filter(course=course, employee=employee).first()


def my_enrolments(employee: Employee) -> list[Enrolment]:
    return list(
        Enrolment.objects.filter(employee=employee)
        .select_related("course__unit", "course__exam")
        .order_by("passed_at", "-enrolled_at")
    )


def my_attempts(employee: Employee, exam: Exam | None = None) -> list[Attempt]:
    rows = Attempt.objects.filter(employee=employee).select_related("exam__course")
    if exam is not None:
        rows = rows.filter(exam=exam)
    return list(rows.order_by("-submitted_at", "-pk"))


def results(actor: Actor, course: Course) -> list[Enrolment]:
    """The manager's view of a course: each enrolled person (in scope) with their attempts."""
    condition = _manager_q(actor, "employee__unit__path")
    if condition is None:
        return []
    return list(
        Enrolment.objects.filter(condition, course=course)
        .select_related("employee__unit")
        .prefetch_related(
            Prefetch(
                "employee__onboarding",
                queryset=Onboarding.objects.all(),
            )
        )
        .order_by("employee__number")
    )


def attempts_by_person(course: Course) -> dict[int, list[Attempt]]:
    found: dict[int, list[Attempt]] = {}
    for attempt in Attempt.objects.filter(exam__course=course).order_by("submitted_at", "pk"):
        found.setdefault(attempt.employee_id, []).append(attempt)
    return found


def onboardings(actor: Actor):
    condition = _manager_q(actor, "employee__unit__path")
    if condition is None:
        return Onboarding.objects.none()
    return (
        Onboarding.objects.filter(condition)
        .select_related("employee__unit")
        .order_by("cleared_at", "-started_at")
    )


def required_courses(employee: Employee):
    """The courses required of new agents that apply to the employee: of their unit or any unit
    above it (a group course applies to every subsidiary)."""
    ids = [*employee.unit.ancestor_ids(), employee.unit_id]
    return Course.objects.filter(required_for_new=True, unit_id__in=ids).order_by("pk")


def register_labels() -> None:
    """How the training fields of audit rows and decision records read on the pages (TRN-1)."""
    decisions.describe(
        inputs={
            "course": ("课程", "course"),
            "courses": ("必修课程", "required courses"),
            "questions": ("考题数", "questions"),
            "pass_score": ("合格线", "pass mark"),
            "score": ("得分", "score"),
            "passed": ("通过", "passed"),
            "required_for_new": ("新员工必修", "required of new agents"),
        },
        values={"passed": {True: ("是", "yes"), False: ("否", "no")}},
    )
