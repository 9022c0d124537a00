"""Training (TRN-1): the only code that writes courses, sessions, enrolments, exams, attempts and
onboarding.

"新员工入职后需接受一定时间的培训,通过考核后才能正式上岗" [001]: HR or the manager (training.manage)
starts a new agent's onboarding, which enrols them in every course required of new agents; until
they have passed each of those courses' exams routing gives them no case and assignment and
transfer to them are refused (the condition is registered with cases routing). An attempt is
scored here, on the server, against the answer key the taker never sees; the pass mark is the
pack's training.pass_score (本系统默认值) copied onto the exam when it is set. A failed attempt may be
retaken; a passed exam is not taken again."""

from django.db import IntegrityError, transaction
from django.urls import reverse

from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from kefu.engine.notifications.api import notify
from kefu.engine.policy import api as policy
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit
from kefu.quality.models import Attempt, Course, Enrolment, Exam, Onboarding, Question, Session
from kefu.quality.queries import training as queries

PASS_MARK = "training.pass_score"  # noqa: S105  a policy key, not a secret
MAX_QUESTIONS = 100
MAX_CHOICES = 8


def _refuse(zh: str, en: str) -> PermissionDenied:
    return PermissionDenied(zh, en, code="training_forbidden")


def _require_manage(actor: Actor, unit: Unit) -> None:
    access.require_write(actor, queries.MANAGE)
    if not access.write_in_scope(actor, queries.MANAGE, unit=unit, owner_id=None):
        raise _refuse("不在您的培训管理范围内", "Outside your training scope")


def _text(value, field: str, zh: str, limit: int, *, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise Invalid(
            f"training_{field}_required", f"请填写{zh}", f"{field} is required", {field: "required"}
        )
    if len(text) > limit:
        raise Invalid(f"training_{field}_long", f"{zh}过长", f"{field} is too long", {field: "too_long"})
    return text


def create_course(
    actor: Actor, *, title: str, unit: Unit, required_for_new: bool = False, materials: str = ""
) -> Course:
    _require_manage(actor, unit)
    title = _text(title, "title", "课程名称", 200)
    materials = _text(materials, "materials", "培训资料", 20000, required=False)
    with transaction.atomic():
        course = Course.objects.create(
            title=title,
            unit=unit,
            required_for_new=bool(required_for_new),
            materials=materials,
            created_by=actor.user,
            created_at=clock.now(),
        )
        audit.record(
            actor,
            "quality.training.course",
            course,
            after={"unit": unit.pk, "required_for_new": course.required_for_new},
        )
    return course


def add_session(actor: Actor, course: Course, *, starts_at, place: str = "") -> Session:
    """TRN-1: a training session of the course (start, place), for those who manage training in the
    course's unit. A start in the past or one the course already has is refused; the people enrolled
    and not yet passed are told (inbox)."""
    _require_manage(actor, course.unit)
    place = _text(place, "place", "地点", 100, required=False)
    if starts_at is None:
        raise Invalid(
            "training_starts_at_required",
            "请填写开始时间",
            "starts_at is required",
            {"starts_at": "required"},
        )
    if starts_at.tzinfo is None:
        starts_at = starts_at.replace(tzinfo=clock.zone())
    if starts_at <= clock.now():
        raise Invalid(
            "training_starts_at_past",
            "开始时间已过，请选择以后的时间",
            "The start is in the past",
            {"starts_at": "past"},
        )
    with transaction.atomic():
        try:
            with transaction.atomic():
                session = Session.objects.create(course=course, starts_at=starts_at, place=place)
        except IntegrityError:
            raise Conflict(
                "training_session_exists",
                "该课程在这个时间已有培训场次",
                "The course already has a session at that time",
                fields={"starts_at": "duplicate"},
            ) from None
        audit.record(actor, "quality.training.session", session, after={"course": course.pk, "place": place})
        people = [
            e.employee.user
            for e in course.enrolments.filter(passed_at__isnull=True, employee__user__isnull=False)
            .select_related("employee__user")
            .order_by("pk")
        ]
        if people:
            notify(
                people,
                "quality.training_session",
                {
                    "course": course.title,
                    "starts_at": f"{clock.local(starts_at):%Y-%m-%d %H:%M}",
                    "place": place or "—",
                },
                obj=session,
                link=reverse("quality:course", args=[course.pk]),
                channels=("inbox",),
            )
    return session


def _questions(raw) -> list[dict]:
    if not isinstance(raw, list) or not raw:
        raise Invalid(
            "training_questions", "考题至少一道", "At least one question", {"questions": "required"}
        )
    if len(raw) > MAX_QUESTIONS:
        raise Invalid("training_questions", "考题过多", "Too many questions", {"questions": "too_many"})
    out = []
    for n, item in enumerate(raw, start=1):
        text = str(item.get("text") or "").strip() if isinstance(item, dict) else ""
        choices = item.get("choices") if isinstance(item, dict) else None
        answer = item.get("answer") if isinstance(item, dict) else None
        points = item.get("points", 1) if isinstance(item, dict) else 0
        if not text or len(text) > 500:
            raise Invalid(
                "training_question", f"第 {n} 题：请填写题目", "A question needs a text", {"questions": n}
            )
        if (
            not isinstance(choices, list)
            or not 2 <= len(choices) <= MAX_CHOICES
            or any(not str(c or "").strip() or len(str(c)) > 200 for c in choices)
        ):
            raise Invalid(
                "training_choices", f"第 {n} 题：选项应为 2 至 8 个", "2 to 8 choices", {"questions": n}
            )
        if not isinstance(answer, int) or isinstance(answer, bool) or not 0 <= answer < len(choices):
            raise Invalid(
                "training_answer", f"第 {n} 题：请指定正确选项", "Name the right choice", {"questions": n}
            )
        if not isinstance(points, int) or isinstance(points, bool) or not 1 <= points <= 100:
            raise Invalid(
                "training_points", f"第 {n} 题：分值应为 1 至 100", "Points 1–100", {"questions": n}
            )
        out.append(
            {"text": text, "choices": [str(c).strip() for c in choices], "answer": answer, "points": points}
        )
    return out


def set_exam(actor: Actor, course: Course, questions) -> Exam:
    """The course's exam: its questions with the answer key; the pass mark from the pack (TRN-1). The
    questions may be replaced until somebody has taken the exam."""
    _require_manage(actor, course.unit)
    rows = _questions(questions)
    now = clock.now()
    entry = policy.lookup(PASS_MARK, at=now, unit=course.unit)
    with transaction.atomic():
        exam = Exam.objects.select_for_update(of=("self",)).filter(course=course).first()
        if exam is not None and Attempt.objects.filter(exam=exam).exists():
            raise Invalid("training_exam_taken", "已有人参加考核，考题不能再修改", "The exam has been taken")
        if exam is None:
            exam = Exam.objects.create(course=course, pass_score=int(entry.value), created_at=now)
        else:
            exam.questions.all().delete()
        Question.objects.bulk_create(
            [Question(exam=exam, order=n, **row) for n, row in enumerate(rows, start=1)]
        )
        audit.record(
            actor,
            "quality.training.exam",
            exam,
            after={"questions": len(rows), "pass_score": exam.pass_score},
        )
    return exam


def _enrol(course: Course, employee: Employee, now) -> Enrolment | None:
    try:
        with transaction.atomic():
            return Enrolment.objects.create(course=course, employee=employee, enrolled_at=now)
    except IntegrityError:
        return None


def enrol(actor: Actor, course: Course, employee: Employee) -> Enrolment:
    _require_manage(actor, course.unit)
    if employee.status != EmploymentStatus.ACTIVE or not access.write_in_scope(
        actor, queries.MANAGE, unit=employee.unit, owner_id=None
    ):
        raise Invalid(
            "training_person",
            "人员不存在或不在您的管理范围内",
            "Unknown employee",
            {"employee_id": "unknown"},
        )
    with transaction.atomic():
        found = _enrol(course, employee, clock.now())
        if found is None:
            raise Conflict(
                "training_enrolled",
                "此人已报名该课程",
                "Already enrolled",
                fields={"employee_id": "duplicate"},
            )
        audit.record(
            actor, "quality.training.enrol", found, after={"course": course.pk, "employee": employee.pk}
        )
    return found


def start_onboarding(actor: Actor, employee: Employee) -> Onboarding:
    """TRN-1: a new agent in training — enrolled in every required course, no live case until passed.
    A person outside the caller's training scope answers like an unknown one (404, ORG-3)."""
    access.require_write(actor, queries.MANAGE)
    if not access.write_in_scope(actor, queries.MANAGE, unit=employee.unit, owner_id=None):
        raise NotFound("人员", "employee")
    if employee.status != EmploymentStatus.ACTIVE:
        raise Invalid("training_person", "人员不存在或已离职", "Unknown employee", {"employee_id": "unknown"})
    now = clock.now()
    courses = list(queries.required_courses(employee))
    if not courses:
        raise Invalid(
            "training_no_required",
            "本单位尚无新员工必修课程，请先设置",
            "No course is required of new agents here yet",
            {"employee_id": "no_course"},
        )
    entry = policy.lookup(PASS_MARK, at=now, unit=employee.unit)
    with transaction.atomic():
        try:
            with transaction.atomic():
                onboarding = Onboarding.objects.create(
                    employee=employee, unit=employee.unit, started_at=now, started_by=actor.user
                )
        except IntegrityError:
            raise Conflict(
                "training_onboarding_exists", "此人已有入职培训记录", "Onboarding already recorded"
            ) from None
        for course in courses:
            _enrol(course, employee, now)
        decisions.record_from_entry(
            onboarding,
            entry,
            outcome=f"{employee.name} 入职培训中：通过考核前暂不分派工单",
            inputs={"courses": "、".join(c.title for c in courses)},
            actor=actor,
        )
        audit.record(
            actor, "quality.training.onboarding", onboarding, after={"courses": [c.pk for c in courses]}
        )
    return onboarding


def _score(exam: Exam, answers) -> tuple[int, dict]:
    if not isinstance(answers, dict):
        raise Invalid("training_answers", "请作答", "Answer the questions", {"answers": "invalid"})
    questions = list(exam.questions.all())
    total = sum(q.points for q in questions)
    got, kept = 0, {}
    for q in questions:
        chosen = answers.get(str(q.pk), answers.get(q.pk))
        if isinstance(chosen, str) and chosen.isdigit():
            chosen = int(chosen)
        if not isinstance(chosen, int) or isinstance(chosen, bool) or not 0 <= chosen < len(q.choices):
            raise Invalid(
                "training_unanswered",
                f"第 {q.order} 题未作答",
                "Every question needs an answer",
                {"answers": q.pk},
            )
        kept[str(q.pk)] = chosen
        got += q.points if chosen == q.answer else 0
    return (got * 100 // total if total else 0), kept


def submit_attempt(actor: Actor, exam: Exam, answers) -> Attempt:
    """TRN-1: the taker's answers scored on the server; pass at the exam's mark; a failed exam may be
    retaken, a passed one is not. Passing every required course ends the onboarding."""
    me = access.employee_of(actor.principal)
    if me is None or actor.on_behalf_of is not None:
        raise _refuse("考核须由本人参加", "Only the person enrolled takes the exam")
    now = clock.now()
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .filter(course_id=exam.course_id, employee=me)
            .first()
        )
        if enrolment is None:
            raise _refuse("您未报名此课程", "You are not enrolled in this course")
        if enrolment.passed_at is not None:
            raise Invalid("training_passed", "您已通过此考核，无需重考", "You have passed this exam already")
        score, kept = _score(exam, answers)
        passed = score >= exam.pass_score
        attempt = Attempt.objects.create(
            exam=exam, employee=me, answers=kept, score=score, passed=passed, submitted_at=now
        )
        entry = policy.lookup(PASS_MARK, at=exam.created_at, unit=exam.course.unit)
        decisions.record_from_entry(
            attempt,
            entry,
            outcome=f"得分 {score}，合格线 {exam.pass_score}：{'通过' if passed else '未通过，可重考'}",
            inputs={"score": score, "pass_score": exam.pass_score},
        )
        audit.record(actor, "quality.training.attempt", attempt, after={"score": score, "passed": passed})
        if passed:
            enrolment.passed_at = now
            enrolment.save(update_fields=["passed_at"])
            _clear_onboarding(me, now)
    return attempt


def _clear_onboarding(employee: Employee, now) -> None:
    onboarding = (
        Onboarding.objects.select_for_update(of=("self",)).filter(employee=employee, cleared_at=None).first()
    )
    if onboarding is None:
        return
    required = list(queries.required_courses(employee).values_list("pk", flat=True))
    pending = Enrolment.objects.filter(employee=employee, course_id__in=required, passed_at__isnull=True)
    if pending.exists():
        return
    onboarding.cleared_at = now
    onboarding.save(update_fields=["cleared_at"])
    entry = policy.lookup(PASS_MARK, at=now, unit=employee.unit)
    decisions.record_from_entry(
        onboarding, entry, outcome=f"{employee.name} 已通过全部入职考核：可分派工单", inputs={}
    )
    audit.record(Actor.system("training"), "quality.training.onboarding_cleared", onboarding)
    leads = [s.user for s in employee.supervisors.select_related("user") if s.user_id]
    if leads:
        notify(
            leads,
            "quality.onboarding_cleared",
            {"employee": employee.name},
            obj=onboarding,
            link=reverse("quality:training"),
            channels=("inbox",),
        )
