"""Training (TRN-1): courses with their materials and sessions, enrolments, an exam per course with
its questions and answer key, attempts scored on the server, and the onboarding record that keeps a
new agent away from live cases until they have passed ("通过考核后才能正式上岗")."""

from django.conf import settings
from django.db import models


class Course(models.Model):
    title = models.CharField(max_length=200)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    required_for_new = models.BooleanField(default=False)
    materials = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField()
    place = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "starts_at"], name="quality_training_session_once")
        ]

    def __str__(self) -> str:
        return f"{self.course} {self.starts_at:%Y-%m-%d}"


class Enrolment(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments")
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    enrolled_at = models.DateTimeField()
    passed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "employee"], name="quality_enrolment_once")]

    def __str__(self) -> str:
        return f"{self.employee} · {self.course}"


class Exam(models.Model):
    course = models.OneToOneField(Course, on_delete=models.CASCADE, related_name="exam")
    pass_score = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.course} 考核"


class Question(models.Model):
    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=500)
    choices = models.JSONField()  # list of strings
    answer = models.PositiveSmallIntegerField()  # index into choices: the key, never sent to the taker
    points = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text[:50]


class Attempt(models.Model):
    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="attempts")
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField()  # percent, computed on the server
    passed = models.BooleanField()
    submitted_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["employee", "exam"], name="quality_attempt_person")]

    def __str__(self) -> str:
        return f"{self.employee} {self.score}"


class Onboarding(models.Model):
    """A new agent's onboarding (TRN-1): open until every required course's exam is passed."""

    employee = models.OneToOneField("org.Employee", on_delete=models.PROTECT, related_name="onboarding")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["employee", "cleared_at"], name="quality_onboarding_open")]

    def __str__(self) -> str:
        return f"{self.employee} 入职培训"
