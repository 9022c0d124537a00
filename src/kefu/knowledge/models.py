"""The knowledge base (KB-1): categories linked to case kinds, articles, and where an article was used.

"知识库可以通过以下方式建立:…针对常见的问题,编写专业的问题解决方案;每周对所收集的知识点进行总结。"
[001 · 客服团队制度管理方案]. No workflow here: state changes live in `actions.py`.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """A knowledge category, e.g. 投诉 or 报修. `unit` is where it applies (the group unit = group-wide);
    `case_kinds` lists the case-kind codes it relates to (["complaint", "repair"]) — what `suggest`
    uses to find articles for a case of that kind."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="knowledge_categories")
    case_kinds = models.JSONField(default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name


class ArticleState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Article(models.Model):
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="plain text; blank lines separate paragraphs")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="articles")
    keywords = models.CharField(max_length=300, blank=True, help_text="separated by spaces or commas")
    state = models.CharField(max_length=20, choices=ArticleState.choices, default=ArticleState.DRAFT)
    author = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="kb_articles")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="kb_articles")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "published_at"], name="kb_article_published"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"/knowledge/{self.pk}/"

    def keyword_list(self) -> list[str]:
        return [k for k in self.keywords.replace("，", ",").replace(",", " ").split() if k]


class ArticleTerm(models.Model):
    """A term of an article's title, keywords and body with its weight (`search.terms`), written by the
    actions whenever the text changes: the case page's suggestion reads the terms of the case's tokens
    by index instead of matching every article's text (issue 13)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=64)
    weight = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "term"], name="kb_term_once")]

    def __str__(self):
        return f"{self.article_id} · {self.term}"


class ArticleUse(models.Model):
    """An article used while handling a record (cases pass a Case): once per article and record."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="uses")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    used_by = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.PROTECT, related_name="kb_uses"
    )
    used_at = models.DateTimeField()

    class Meta:
        ordering = ["-used_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "content_type", "object_id"], name="kb_one_use_per_record"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="kb_use_target")]

    def __str__(self):
        return f"{self.article} → {self.content_type.model} {self.object_id}"


class Digest(models.Model):
    """One weekly summary (KB-1 每周…总结): the period it covers and what it listed; one per period."""

    period_key = models.CharField(max_length=20, unique=True)
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    article_ids = models.JSONField(default=list)
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-window_end"]

    def __str__(self):
        return f"知识周报 {self.period_key}"
