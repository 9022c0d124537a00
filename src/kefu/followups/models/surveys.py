"""Satisfaction surveys (CSAT-1): the questionnaire, the survey a case gets, and the answers.

A questionnaire is configured per subsidiary, with a group default (`unit` empty); every change is
a new version, and an answer keeps the version it answered. Its items are rated 满意 / 一般 / 不满意
with one tap each, plus free text (意见和建议).

A survey is owed per case: its link carries a random token of which only the SHA-256 is stored, and
it expires after `csat.survey_link_valid_days`. One answer per case counts: a second answer
replaces the first as the current one, and both are kept (history). Each answer records where it
came from — the link, the status page, a phone survey or a revisit — and the overall verdict:
不满意 if any rated item is 不满意, else 满意 if every rated item is 满意, else 一般.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# the group default questionnaire, version 1 (migration 0002 seeds it; created at first use if absent)
DEFAULT_ITEMS = [
    {"code": "service", "zh": "服务质量", "en": "Quality of service", "kind": "rating"},
    {
        "code": "solution",
        "zh": "对解决方案的满意度",
        "en": "Satisfaction with the solution",
        "kind": "rating",
    },
    {"code": "words", "zh": "意见和建议", "en": "Comments and suggestions", "kind": "text"},
]


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied (满意)")
    NEUTRAL = "neutral", _("Neutral (一般)")
    UNSATISFIED = "unsatisfied", _("Not satisfied (不满意)")


class AnswerSource(models.TextChoices):
    LINK = "link", _("Survey link")
    STATUS_PAGE = "status_page", _("Case status page")
    PHONE = "phone", _("Phone survey")
    REVISIT = "revisit", _("Revisit answer")


class Questionnaire(models.Model):
    """One version of a subsidiary's questionnaire (`unit` empty: the group default)."""

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="questionnaires"
    )
    version = models.PositiveIntegerField()
    items = models.JSONField(help_text='[{"code", "zh", "en", "kind": "rating" | "text"}]')
    created_at = models.DateTimeField()
    created_by = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "version"], name="followups_questionnaire_version"),
            models.UniqueConstraint(
                fields=["version"],
                condition=models.Q(unit__isnull=True),
                name="followups_group_questionnaire_version",
            ),
        ]

    def __str__(self) -> str:
        return f"满意度问卷 v{self.version}"

    def ratings(self) -> list[dict]:
        return [i for i in self.items if i.get("kind") == "rating"]


class Survey(models.Model):
    """The survey owed for one case; the token's hash is replaced when the link is issued again."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    agent = models.ForeignKey(
        "org.Employee", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    channel = models.CharField(max_length=10, blank=True, help_text="email, sms or '' (status page only)")

    def __str__(self) -> str:
        return f"满意度调查 {self.pk}"


class SurveyAnswer(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="answers")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=20, choices=AnswerSource.choices)
    ratings = models.JSONField(default=dict, help_text="item code → satisfied / neutral / unsatisfied")
    overall = models.CharField(max_length=20, choices=Rating.choices)
    words = models.TextField(blank=True, help_text="意见和建议: the customer's words")
    current = models.BooleanField(default=True)
    at = models.DateTimeField()
    by = models.ForeignKey("org.Employee", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    follow_up_case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey"], condition=models.Q(current=True), name="followups_one_current_answer"
            )
        ]
        indexes = [models.Index(fields=["current", "at"], name="followups_answers_by_time")]

    def __str__(self) -> str:
        return f"满意度回答 {self.pk}"


class SurveyHit(models.Model):
    """One public answer attempt, counted for the rate limit (keyed hash of the address only)."""

    ip_hash = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["ip_hash", "at"], name="followups_survey_hits")]

    def __str__(self) -> str:
        return f"调查提交 {self.pk}"
