"""Knowledge API under /api/v1/knowledge (KB-1): parse, call a query or an action, serialise.

Readers (kb.view) see published articles of their units and the units above; drafts and archived
articles only appear to editors (kb.edit) in scope. Out of scope or invisible answers 404.
"""

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from kefu.core.errors import Invalid
from kefu.core.http_support import PAGE_DEFAULT, PAGE_MAX, Pagination, actor
from kefu.knowledge import actions, queries
from kefu.knowledge.models import ArticleState
from kefu.knowledge.schemas import (
    ArticleDetail,
    ArticleIn,
    ArticleOut,
    ArticlePatch,
    CategoryOut,
    SuggestionOut,
)
from kefu.org import access

router = Router(tags=["knowledge"])
OFFSET_MAX = 2**31 - 1  # the largest offset every database accepts


def _need_view(current):
    access.require(current, "kb.view")


def _detail(article):
    """The article with where it was used (for ArticleDetail)."""
    article.use_rows = [
        {
            "record": f"{row['use'].content_type.app_label}.{row['use'].content_type.model}",
            "object_id": row["object_id"],
            "url": row["url"],
            "used_by": row["used_by"].name if row["used_by"] else None,
            "used_at": row["used_at"],
        }
        for row in queries.uses_of(article)
    ]
    return article


class ArticlePagination(Pagination):
    """The shared pagination with a bounded offset: a huge offset is a 422, not a database overflow."""

    class Input(Schema):
        limit: int = Field(PAGE_DEFAULT, ge=1, le=PAGE_MAX)
        offset: int = Field(0, ge=0, le=OFFSET_MAX)


@router.get("/articles", response=list[ArticleOut], summary="KB-1 articles: search and filter (ranked by q)")
@paginate(ArticlePagination)
def list_articles(request, q: str = "", category: str = "", state: str = ""):
    """`q` matches title, keywords and body (Chinese by character bigrams); title and keyword hits
    rank above body hits. `state` draft/archived lists only what you may edit."""
    current = actor(request)
    if state and state not in ArticleState.values:
        raise Invalid(
            "kb_state_unknown",
            "未知的文章状态",
            "Unknown article state",
            {"state": f"one of {', '.join(ArticleState.values)}"},
        )
    if not (access.can(current, "kb.view") or access.can(current, "kb.edit")):
        _need_view(current)
    return queries.search(current, q=q, category=category, state=state)


@router.get(
    "/articles/{int:article_id}", response=ArticleDetail, summary="One article with where it was used"
)
def get_article(request, article_id: int):
    current = actor(request)
    return _detail(queries.article(current, article_id))


@router.post("/articles", response={201: ArticleDetail}, summary="Write a draft article (kb.edit)")
def create_article(request, payload: ArticleIn):
    current = actor(request)
    data = payload.model_dump()
    unit = data.pop("unit_id")
    article = actions.create_article(current, unit=unit, **data)
    return Status(201, _detail(queries.article(current, article.pk)))


def _apply(request, article_id: int, action, **changes):
    """Find the article in the caller's scope (404 otherwise), run the action, answer the detail."""
    current = actor(request)
    return _detail(action(current, queries.article(current, article_id), **changes))


@router.patch("/articles/{int:article_id}", response=ArticleDetail, summary="Edit an article (kb.edit)")
def patch_article(request, article_id: int, payload: ArticlePatch):
    return _apply(request, article_id, actions.edit_article, **payload.changes())


@router.post(
    "/articles/{int:article_id}/publish", response=ArticleDetail, summary="Publish a draft (kb.edit)"
)
def publish(request, article_id: int):
    return _apply(request, article_id, actions.publish_article)


@router.post(
    "/articles/{int:article_id}/archive", response=ArticleDetail, summary="Archive an article (kb.edit)"
)
def archive(request, article_id: int):
    return _apply(request, article_id, actions.archive_article)


@router.get(
    "/suggest",
    response=list[SuggestionOut],
    summary="KB-1 suggested articles for a case's text and kind",
    description="Published articles ranked by the text's hits and by categories linked to `kind`.",
)
def suggest(request, text: str = "", kind: str = "", category: str = "", limit: int = 5):
    current = actor(request)
    _need_view(current)
    if not 1 <= limit <= queries.SUGGEST_MAX:
        raise Invalid(
            "kb_limit_invalid",
            f"limit 须在 1 到 {queries.SUGGEST_MAX} 之间",
            f"limit must be between 1 and {queries.SUGGEST_MAX}",
            {"limit": "out of range"},
        )
    return queries.suggest(
        current, text=text, kind_code=kind or None, category_code=category or None, limit=limit
    )


@router.get("/categories", response=list[CategoryOut], summary="Knowledge categories in my scope")
def list_categories(request):
    current = actor(request)
    _need_view(current)
    return list(queries.categories(current))
