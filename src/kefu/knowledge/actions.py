"""The only functions that change the knowledge base (KB-1). Each takes the Actor first, runs in one
transaction and writes the audit log.

Writing, editing, publishing and archiving need `kb.edit` over the article's unit (queries.edit_q);
recording that an article was used in a record (`record_use`) needs `kb.view` and is idempotent:
the database's unique (article, record) constraint decides, never a check-then-write.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from kefu.engine.notifications.api import notify
from kefu.engine.policy.api import lookup
from kefu.knowledge import digest, queries
from kefu.knowledge import search as kbsearch
from kefu.knowledge.models import Article, ArticleState, ArticleTerm, ArticleUse, Category, Digest
from kefu.org import access

TITLE_MAX = Article._meta.get_field("title").max_length
KEYWORDS_MAX = Article._meta.get_field("keywords").max_length
BODY_MAX = 20000


def _snapshot(article: Article) -> dict:
    return {
        "title": article.title,
        "category": article.category.code,
        "keywords": article.keywords,
        "state": article.state,
        "unit": article.unit_id,
        "version": article.version,
        "body_chars": len(article.body),
    }


def _clean(title, body, keywords) -> tuple[str, str, str]:
    title, body = (title or "").strip(), (body or "").strip()
    keywords = " ".join((keywords or "").replace("，", ",").replace(",", " ").split())
    fields = {}
    if not title:
        fields["title"] = "标题必填 / a title is required"
    elif len(title) > TITLE_MAX:
        fields["title"] = f"标题最多 {TITLE_MAX} 字 / at most {TITLE_MAX} characters"
    if not body:
        fields["body"] = "正文必填 / the body is required"
    elif len(body) > BODY_MAX:
        fields["body"] = f"正文最多 {BODY_MAX} 字 / at most {BODY_MAX} characters"
    if len(keywords) > KEYWORDS_MAX:
        fields["keywords"] = f"关键词最多 {KEYWORDS_MAX} 字 / at most {KEYWORDS_MAX} characters"
    if fields:
        raise Invalid(
            "kb_article_invalid",
            "知识文章的标题和正文必填，且不得超过长度上限（KB-1）",
            "A knowledge article needs a title and a body within the length limits (KB-1)",
            fields,
        )
    return title, body, keywords


def _category(actor: Actor, category) -> Category:
    if isinstance(category, Category):
        return category
    found = queries.category_by_code(actor, str(category or ""))
    if found is None:
        raise Invalid(
            "kb_category_unknown",
            "知识分类不存在或不适用于您的范围",
            "Unknown knowledge category, or not one of your scope",
            {"category": "未知分类 / unknown category"},
        )
    return found


def _unit(actor: Actor, unit, category: Category):
    """Where the article lives: the given unit, else the actor's widest kb.edit unit. It must be in
    the actor's kb.edit scope and the category must apply there (its unit at or above)."""
    allowed = queries.edit_units(actor)
    if unit is None:
        unit = allowed.order_by("path").first()
    else:
        unit = allowed.filter(pk=getattr(unit, "pk", unit)).first()
        if unit is None:
            raise NotFound("组织", "unit")  # issue 10: out of scope answers like a missing unit
    if unit is None:
        raise PermissionDenied(
            "您没有在该单位编写知识文章的权限",
            "You may not write articles for that unit",
            code="kb_edit_denied",
        )
    if category.unit_id not in unit.ancestor_ids():
        raise Invalid(
            "kb_category_not_applicable",
            f"分类“{category.name}”不适用于{unit.name}",
            f"Category {category.code} does not apply to {unit.name}",
            {"category": "分类不适用 / category does not apply"},
        )
    return unit


def create_category(
    actor: Actor, *, code: str, name: str, unit, parent=None, case_kinds=(), position: int = 0
) -> Category:
    """A knowledge category at `unit` (the group unit = group-wide), linked to case-kind codes.
    Needs kb.edit over `unit`; the code is unique (the database decides)."""
    if not access.unit_in_scope(actor, "kb.edit", unit):
        raise PermissionDenied(
            "您没有在该单位维护知识分类的权限",
            "You may not configure knowledge categories for that unit",
            code="kb_edit_denied",
        )
    if parent is not None and parent.unit_id not in unit.ancestor_ids():
        # issue 10: a category hangs only under one that applies at its unit (never another company's)
        raise Invalid(
            "kb_category_parent",
            "上级分类不适用于该单位",
            "The parent category does not apply to that unit",
            {"parent": "分类不适用 / does not apply"},
        )
    code, name = (code or "").strip(), (name or "").strip()
    kinds = [str(k).strip() for k in case_kinds if str(k).strip()]
    if not code or not name:
        raise Invalid(
            "kb_category_invalid",
            "知识分类的代码和名称必填",
            "A knowledge category needs a code and a name",
            {"code" if not code else "name": "必填 / required"},
        )
    try:
        with transaction.atomic():
            category = Category.objects.create(
                code=code, name=name, unit=unit, parent=parent, case_kinds=kinds, position=position
            )
            audit.record(
                actor,
                "knowledge.category_created",
                category,
                after={"code": code, "name": name, "unit": unit.pk, "case_kinds": kinds},
            )
    except IntegrityError:
        raise Conflict(
            "kb_category_exists", f"知识分类代码 {code} 已存在", f"Category code {code} already exists"
        ) from None
    return category


def index_terms(article: Article) -> None:
    """The article's terms as its text now reads (`search.terms`): what the case page's suggestion
    reads by index (issue 13). Inside the transaction that changed the text."""
    ArticleTerm.objects.filter(article=article).delete()
    found = kbsearch.terms(title=article.title, keywords=article.keywords, body=article.body)
    ArticleTerm.objects.bulk_create(
        [ArticleTerm(article=article, term=term, weight=weight) for term, weight in found.items()],
        batch_size=500,
    )


def create_article(actor: Actor, *, title, body, category, keywords: str = "", unit=None) -> Article:
    """A new draft by the actor (kb.edit)."""
    access.require(actor, "kb.edit")
    author = access.employee_of(actor.principal)
    if author is None:
        raise PermissionDenied(
            "只有员工可以编写知识文章", "Only employees write articles", code="kb_not_employee"
        )
    title, body, keywords = _clean(title, body, keywords)
    category = _category(actor, category)
    unit = _unit(actor, unit, category)
    now = clock.now()
    with transaction.atomic():
        article = Article.objects.create(
            title=title,
            body=body,
            keywords=keywords,
            category=category,
            author=author,
            unit=unit,
            created_at=now,
            updated_at=now,
        )
        index_terms(article)
        audit.record(actor, "knowledge.article_created", article, after=_snapshot(article))
    return article


def edit_article(actor: Actor, article: Article, **changes) -> Article:
    """Change title, body, keywords or category; each save of a changed article bumps its version."""
    unknown = set(changes) - {"title", "body", "keywords", "category"}
    if unknown:
        raise Invalid(
            "kb_article_invalid",
            "不可修改的字段",
            "Fields that cannot be changed",
            dict.fromkeys(unknown, "—"),
        )
    with transaction.atomic():
        article = _locked(actor, article)
        if article.state == ArticleState.ARCHIVED:
            raise Conflict(
                "kb_article_archived", "已归档的文章不能修改", "An archived article cannot be edited"
            )
        before = _snapshot(article)
        title, body, keywords = _clean(
            changes.get("title", article.title),
            changes.get("body", article.body),
            changes.get("keywords", article.keywords),
        )
        category = _category(actor, changes["category"]) if "category" in changes else article.category
        if category.pk != article.category_id:
            _unit(actor, article.unit, category)
        if (title, body, keywords, category.pk) == (
            article.title,
            article.body,
            article.keywords,
            article.category_id,
        ):
            return article
        article.title, article.body, article.keywords, article.category = title, body, keywords, category
        article.version += 1
        article.updated_at = clock.now()
        article.save()
        index_terms(article)
        audit.record(actor, "knowledge.article_edited", article, before=before, after=_snapshot(article))
    return article


def _locked(actor: Actor, article: Article) -> Article:
    found = queries.article_for_edit(actor, article.pk)
    return (
        Article.objects.select_for_update(of=("self",))
        .select_related("category", "unit", "author")
        .get(pk=found.pk)
    )


def _move(actor: Actor, article: Article, to: str, allowed_from: tuple[str, ...], event: str) -> Article:
    with transaction.atomic():
        article = _locked(actor, article)
        if article.state == to:
            return article
        if article.state not in allowed_from:
            raise Conflict(
                "kb_article_state",
                f"当前状态（{article.get_state_display()}）不能执行此操作",
                f"Not possible while the article is {article.state}",
            )
        before = _snapshot(article)
        now = clock.now()
        article.state = to
        article.updated_at = now
        if to == ArticleState.PUBLISHED:
            article.published_at = now
        article.save()
        audit.record(actor, event, article, before=before, after=_snapshot(article))
    return article


def publish_article(actor: Actor, article: Article) -> Article:
    """Draft → published (readers see it; it enters this week's digest). Idempotent."""
    return _move(actor, article, ArticleState.PUBLISHED, (ArticleState.DRAFT,), "knowledge.article_published")


def archive_article(actor: Actor, article: Article) -> Article:
    """Draft or published → archived (hidden from readers and suggestions). Idempotent."""
    return _move(
        actor,
        article,
        ArticleState.ARCHIVED,
        (ArticleState.DRAFT, ArticleState.PUBLISHED),
        "knowledge.article_archived",
    )


def record_use(actor: Actor, article: Article, obj) -> ArticleUse:
    """The article was used while handling `obj` (e.g. a Case). Once per article and record: a second
    call returns the first use unchanged. Needs kb.view — from a role that may act: recording a use is a
    write, which a supervisory-only role never makes (ORG-4) — and a published article the actor can see."""
    access.require_write(actor, "kb.view")
    article = queries.article(actor, getattr(article, "pk", article))
    if article.state != ArticleState.PUBLISHED:
        raise Conflict(
            "kb_article_not_published", "只有已发布的文章可以引用", "Only a published article can be used"
        )
    if obj is None or getattr(obj, "pk", None) is None:
        raise NotFound("记录", "record")
    content_type = ContentType.objects.get_for_model(obj)
    object_id = str(obj.pk)
    existing = ArticleUse.objects.filter(article=article, content_type=content_type, object_id=object_id)
    found = existing.first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            use = ArticleUse.objects.create(
                article=article,
                content_type=content_type,
                object_id=object_id,
                used_by=access.employee_of(actor.principal),
                used_at=clock.now(),
            )
            audit.record(
                actor,
                "knowledge.article_used",
                article,
                after={"record": f"{content_type.app_label}.{content_type.model}", "record_id": object_id},
            )
    except IntegrityError:  # a concurrent call recorded it first
        return existing.get()
    return use


# ---------------------------------------------------------------- KB-1 the weekly digest


def send_digest(run) -> int:
    """KB-1, the schedule `knowledge.weekly_digest` (declared in `knowledge.digest`): summarise the
    week's newly published articles for each reader; returns how many were told."""
    end = run.due_at if run is not None else clock.now()
    key = run.period_key if run is not None else end.date().isoformat()
    entry = lookup(digest.WINDOW_KEY, at=end)
    start = end - entry.duration()
    previous = Digest.objects.filter(window_end__lt=end).order_by("-window_end").first()
    if previous is not None and previous.window_end < start:
        start = previous.window_end  # periods missed during an outage are summarised now
    published = list(queries.published_between(start, end))
    ids = [a.pk for a in published]
    try:
        with transaction.atomic():
            sent = Digest.objects.create(
                period_key=key, window_start=start, window_end=end, article_ids=ids, sent_at=clock.now()
            )
    except IntegrityError:
        return 0  # this period's digest exists already
    told = 0
    if published:
        for user in queries.digest_audience():
            reader = Actor(user=user, origin="schedule knowledge.weekly_digest")
            visible = set(queries.search(reader).filter(pk__in=ids).values_list("pk", flat=True))
            mine = [a for a in published if a.pk in visible]
            if not mine:
                continue
            context = {
                "week": key,
                "start": start,
                "end": end,
                "count": len(mine),
                "articles": [
                    {"title": a.title, "category": a.category.name, "url": a.get_absolute_url()}
                    for a in mine[: digest.LISTED_MAX]
                ],
                "more": max(0, len(mine) - digest.LISTED_MAX),
            }
            notify([user], digest.TEMPLATE, context, obj=sent, link="/knowledge/")
            told += 1
    sent.recipients = told
    sent.save(update_fields=["recipients"])
    decisions.record_from_entry(
        sent,
        entry,
        outcome=f"weekly knowledge digest: {len(ids)} new article(s), {told} recipient(s)",
        inputs={"window_start": start, "window_end": end, "articles": ids},
    )
    audit.record(
        Actor.system("schedule"),
        "knowledge.digest_sent",
        sent,
        after={"period": key, "articles": ids, "recipients": told},
    )
    return told
