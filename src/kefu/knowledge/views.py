"""Knowledge base pages (KB-1): list with search and category filter, article, new/edit, publish and
archive. Thin: forms parse, queries read within the caller's scope, actions write."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.errors import DomainError
from kefu.knowledge import actions, queries
from kefu.knowledge.forms import ArticleForm, SearchForm
from kefu.knowledge.search import paragraphs
from kefu.org import access
from kefu.web.support import actor, apply_error, denied, web_view

PER_PAGE = 20


def _may_read(me) -> bool:
    return access.can(me, "kb.view") or access.can(me, "kb.edit")


@web_view
def article_list(request):
    me = actor(request)
    if not _may_read(me):
        return denied(request)
    editor = access.can(me, "kb.edit")
    form = SearchForm(request.GET or None, categories=queries.categories(me), editor=editor)
    found = queries.search(me, **form.filters())
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "can_edit": editor}
    return render(request, "knowledge/list.html", context)


@web_view
def article_detail(request, pk: int):
    me = actor(request)
    article = queries.article(me, pk)
    context = {
        "article": article,
        "paragraphs": paragraphs(article.body),
        "uses": queries.uses_of(article),
        "can_edit": queries.may_edit(me, article),
    }
    return render(request, "knowledge/detail.html", context)


def _save(request, me, article=None):
    categories = queries.categories(me)
    initial = None
    if article is not None:
        initial = {
            "title": article.title,
            "category": article.category.code,
            "keywords": article.keywords,
            "body": article.body,
        }
    form = ArticleForm(request.POST or None, initial=initial, categories=categories)
    if request.method == "POST" and form.is_valid():
        try:
            if article is None:
                article = actions.create_article(me, **form.values())
                messages.success(request, _("The draft was saved."))
            else:
                article = actions.edit_article(me, article, **form.values())
                messages.success(request, _("The article was saved."))
        except DomainError as error:
            apply_error(form, error)
        else:
            return redirect("knowledge:detail", article.pk)
    return render(request, "knowledge/form.html", {"form": form, "article": article})


@web_view
def article_create(request):
    me = actor(request)
    if not access.can(me, "kb.edit"):
        return denied(request)
    return _save(request, me)


@web_view
def article_edit(request, pk: int):
    me = actor(request)
    return _save(request, me, queries.article_for_edit(me, pk))


def _move(request, pk: int, action, done: str):
    me = actor(request)
    article = queries.article(me, pk)
    try:
        action(me, article)
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("knowledge:detail", pk)


@web_view
@require_POST
def article_publish(request, pk: int):
    return _move(request, pk, actions.publish_article, _("The article was published."))


@web_view
@require_POST
def article_archive(request, pk: int):
    return _move(request, pk, actions.archive_article, _("The article was archived."))
