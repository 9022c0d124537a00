"""Read paths of the knowledge base (KB-1), always narrowed to the caller's scope.

Scope of knowledge differs from records: knowledge is written to be shared downwards. A `kb.view`
grant anchored at a unit sees the published articles of that unit's subtree AND of its ancestors
(a group-wide article reaches every subsidiary); an `own`-scoped grant (front-line agents) anchors at
the person's own unit. Drafts and archived articles are seen only by holders of `kb.edit` whose
scope covers the article's unit (its subtree, not its ancestors), and by their author.

Search (`search`, `suggest`) tokenises the text (`kefu.knowledge.search.tokens`) and ranks in the
database: the search page with portable CASE expressions over `icontains`, the case page's suggestion
by adding up the weights of the articles' indexed terms (`ArticleTerm`) for the case's tokens — an
index lookup per token instead of matching every article's text (issue 13). The same code on SQLite
and PostgreSQL.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.expressions import Case, When
from django.db.models.functions import Coalesce

from kefu.core.actor import Actor
from kefu.core.errors import NotFound, PermissionDenied
from kefu.knowledge import digest
from kefu.knowledge import search as kbsearch
from kefu.knowledge.models import Article, ArticleState, ArticleTerm, ArticleUse, Category
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Role, Unit

KIND_WEIGHT = 6  # a category linked to the case's kind outweighs one title hit
CATEGORY_WEIGHT = 8
SUGGEST_MAX = 20


def _anchor_paths(actor: Actor, code: str) -> tuple[list[str], list[int]]:
    """(anchor unit paths of the actor's grants for `code`, employee ids of its `own` grants)."""
    paths, own = [], []
    for grant in access.grants(actor, code):
        if grant.scope == "own":
            if grant.employee_id is not None:
                own.append(grant.employee_id)
        else:
            paths.append(grant.anchor_path)
    if own:
        paths += list(Employee.objects.filter(pk__in=own).values_list("unit__path", flat=True))
    return paths, own


def _shared_q(paths: list[str], prefix: str = "unit") -> Q | None:
    """Units in the subtree of any of `paths`, or above one of them (ancestors)."""
    q = None
    ancestors = {int(p) for path in paths for p in path.strip("/").split("/") if p}
    for path in paths:
        part = Q(**{f"{prefix}__path__startswith": path})
        q = part if q is None else q | part
    if ancestors:
        q = (q or Q()) | Q(**{f"{prefix}_id__in": sorted(ancestors)})
    return q


def read_q(actor: Actor) -> Q | None:
    paths, _ = _anchor_paths(actor, "kb.view")
    return _shared_q(paths)


def edit_q(actor: Actor) -> Q | None:
    """Articles the actor may edit: under a `kb.edit` anchor, or their own (any own-scope grant)."""
    q = None
    for grant in access.grants(actor, "kb.edit"):
        if grant.scope == "own":
            part = Q(author_id=grant.employee_id) if grant.employee_id is not None else None
        else:
            part = Q(unit__path__startswith=grant.anchor_path)
        if part is not None:
            q = part if q is None else q | part
    return q


def _visible(actor: Actor):
    readable, editable = read_q(actor), edit_q(actor)
    qs = Article.objects.select_related("category", "unit", "author")
    if readable is None and editable is None:
        return qs.none()
    condition = Q(pk__in=[])
    if readable is not None:
        condition |= Q(state=ArticleState.PUBLISHED) & readable
    if editable is not None:
        condition |= editable
    return qs.filter(condition)


def _score(tokens: list[str]):
    parts = []
    for token in tokens:
        for field, weight in (
            ("title", kbsearch.TITLE_WEIGHT),
            ("keywords", kbsearch.KEYWORD_WEIGHT),
            ("body", kbsearch.BODY_WEIGHT),
        ):
            parts.append(
                Case(
                    When(**{f"{field}__icontains": token}, then=Value(weight)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return total


def _category_ids(code: str) -> list[int]:
    """The category with this code and its descendants (one level of nesting is the norm)."""
    rows = list(Category.objects.values_list("pk", "code", "parent_id"))
    wanted = {pk for pk, c, _ in rows if c == code}
    grew = True
    while grew:
        more = {pk for pk, _, parent in rows if parent in wanted} - wanted
        wanted |= more
        grew = bool(more)
    return sorted(wanted)


def search(actor: Actor, *, q: str = "", category: str = "", state: str = ""):
    """Articles the actor may see, filtered and — with `q` — ranked: title and keyword hits above
    body hits, then the most recently published. Without `q`, newest first."""
    qs = _visible(actor)
    if category:
        qs = qs.filter(category_id__in=_category_ids(category))
    if state:
        qs = qs.filter(state=state)
    tokens = kbsearch.tokens(q)
    if not tokens:
        if (q or "").strip():
            return qs.none()  # only punctuation or single letters: nothing to match
        return qs.order_by("-published_at", "-updated_at", "-pk")
    return (
        qs.annotate(score=_score(tokens))
        .filter(score__gt=0)
        .order_by("-score", "-published_at", "-updated_at", "-pk")
    )


def article(actor: Actor, pk) -> Article:
    """One article the actor may see; NotFound otherwise (drafts of others are not revealed)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound("知识文章", "article") from None
    found = _visible(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("知识文章", "article")
    return found


def may_edit(actor: Actor, found: Article) -> bool:
    condition = edit_q(actor)
    return condition is not None and Article.objects.filter(condition, pk=found.pk).exists()


def article_for_edit(actor: Actor, pk) -> Article:
    found = article(actor, pk)
    if not may_edit(actor, found):
        raise PermissionDenied(
            "您没有编辑该知识文章的权限", "You may not edit this article", code="kb_edit_denied"
        )
    return found


def categories(actor: Actor):
    """Categories applying within the actor's knowledge scope (their units or above)."""
    paths, _ = _anchor_paths(actor, "kb.view")
    paths += [g.anchor_path for g in access.grants(actor, "kb.edit") if g.scope != "own"]
    condition = _shared_q(paths)
    qs = Category.objects.select_related("unit", "parent")
    return qs.none() if condition is None else qs.filter(condition)


def category_by_code(actor: Actor, code: str) -> Category | None:
    return categories(actor).filter(code=code).first()


def edit_units(actor: Actor):
    """Units where the actor may place an article: the subtrees of their kb.edit grants."""
    paths = [g.anchor_path for g in access.grants(actor, "kb.edit") if g.scope != "own"]
    if not paths:
        employee = access.employee_of(actor.principal)
        if employee is None or not access.can(actor, "kb.edit"):
            return Unit.objects.none()
        return Unit.objects.filter(pk=employee.unit_id)
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return Unit.objects.filter(condition, is_active=True)


def _term_score(tokens: list[str]):
    """An article's text score for `tokens`: the sum of its indexed terms' weights (`ArticleTerm`)."""
    found = (
        ArticleTerm.objects.filter(article=OuterRef("pk"), term__in=tokens)
        .order_by()
        .values("article")
        .annotate(total=Sum("weight"))
        .values("total")
    )
    return Coalesce(Subquery(found, output_field=IntegerField()), Value(0))


def _use_count():
    found = (
        ArticleUse.objects.filter(article=OuterRef("pk")).order_by().values("article").annotate(n=Count("pk"))
    )
    return Coalesce(Subquery(found.values("n"), output_field=IntegerField()), Value(0))


def suggest(actor: Actor, *, text: str, kind_code: str | None = None, category_code=None, limit: int = 5):
    """Published articles most relevant to a case: its title/description (`text`) and its kind.

    An article scores by its text hits (title and keywords above body: the weights of its indexed
    terms among the text's tokens), plus KIND_WEIGHT when its category lists `kind_code` in
    `case_kinds`, plus CATEGORY_WEIGHT when it is in `category_code`. Ties go to the most used, then
    the newest. Only articles scoring above zero are returned; one query, at most `limit` rows.
    """
    limit = max(1, min(int(limit or 5), SUGGEST_MAX))
    qs = _visible(actor).filter(state=ArticleState.PUBLISHED)
    tokens = [t for t in kbsearch.tokens(text) if len(t) <= kbsearch.MAX_TERM]
    score = _term_score(tokens) if tokens else Value(0, output_field=IntegerField())
    if kind_code:
        linked = Category.objects.values_list("pk", "case_kinds")
        kinds = [pk for pk, codes in linked if kind_code in (codes or [])]
        if kinds:
            score = score + Case(
                When(category_id__in=kinds, then=Value(KIND_WEIGHT)),
                default=Value(0),
                output_field=IntegerField(),
            )
    if category_code:
        ids = _category_ids(category_code)
        if ids:
            score = score + Case(
                When(category_id__in=ids, then=Value(CATEGORY_WEIGHT)),
                default=Value(0),
                output_field=IntegerField(),
            )
    return list(
        qs.annotate(score=score)
        .filter(score__gt=0)
        .annotate(use_count=_use_count())
        .order_by("-score", "-use_count", "-published_at", "-pk")[:limit]
    )


def uses_of(article: Article) -> list[dict]:
    """Where the article was used, newest first: each use with its record and that record's link
    (the record's `get_absolute_url`, if it has one). One query per kind of record."""
    uses = list(ArticleUse.objects.filter(article=article).select_related("content_type", "used_by"))
    by_type: dict[int, list[ArticleUse]] = {}
    for use in uses:
        by_type.setdefault(use.content_type_id, []).append(use)
    targets = {}
    for type_id, group in by_type.items():
        model = group[0].content_type.model_class()
        if model is None:
            continue
        ids = []
        for use in group:
            try:
                ids.append(model._meta.pk.to_python(use.object_id))
            except ValidationError:  # not an id of this model: shown without a link
                ids.append(None)
        ids = [i for i in ids if i is not None]
        for pk, obj in model._default_manager.in_bulk(ids).items():
            targets[(type_id, str(pk))] = obj
    rows = []
    for use in uses:
        target = targets.get((use.content_type_id, use.object_id))
        url = target.get_absolute_url() if target is not None and hasattr(target, "get_absolute_url") else ""
        rows.append(
            {
                "use": use,
                "kind": use.content_type.model_class()._meta.verbose_name
                if use.content_type.model_class()
                else use.content_type.model,
                "object_id": use.object_id,
                "url": url,
                "used_by": use.used_by,
                "used_at": use.used_at,
            }
        )
    return rows


def articles_used_in(obj):
    """The articles used in record `obj` (e.g. a Case), most recently used first."""
    content_type = ContentType.objects.get_for_model(obj)
    return (
        Article.objects.select_related("category")
        .filter(uses__content_type=content_type, uses__object_id=str(obj.pk))
        .order_by("-uses__used_at", "-pk")
    )


def published_between(start, end):
    """Articles first published in [start, end) — the weekly digest's list (not scoped)."""
    return (
        Article.objects.select_related("category", "unit")
        .filter(state=ArticleState.PUBLISHED, published_at__gte=start, published_at__lt=end)
        .order_by("published_at", "pk")
    )


def digest_audience():
    """Users told of the weekly digest (KB-1): the customer-service staff — active employees holding
    `kb.view` together with `case.handle` or `kb.edit` — in employee order."""
    roles = [
        r.pk
        for r in Role.objects.all()
        if "kb.view" in (r.permissions or [])
        and any(p in (r.permissions or []) for p in digest.AUDIENCE_WITH)
    ]
    people = (
        Employee.objects.filter(
            role_assignments__role_id__in=roles, status=EmploymentStatus.ACTIVE, user__is_active=True
        )
        .select_related("user")
        .distinct()
    )
    return [e.user for e in people]
