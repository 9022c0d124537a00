"""搜索 (issue 13): the results page of the top bar's search box, grouped by 工单 / 客户 / 知识, each
section with "更多" to its own list filtered by the same term."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import path, reverse

from kefu.core.errors import Invalid
from kefu.search import queries
from kefu.web.support import actor, web_view


def _more(url_name: str, term: str, **extra) -> str:
    return f"{reverse(url_name)}?{urlencode({**extra, 'q': term})}"


@web_view
def search_page(request):
    me = actor(request)
    raw = request.GET.get("q", "")
    try:
        found = queries.search(me, raw)
    except Invalid as error:
        context = {"term": raw.strip()[: queries.MAX_LENGTH], "error": error.message, "found": None}
        return render(request, "search/page.html", context, status=400)
    term = found.term
    context = {
        "term": term,
        "search_term": term,  # the top bar's field keeps it
        "found": found,
        "sections": term
        and any(s is not None and s.rows for s in (found.cases, found.customers, found.articles)),
        "more_cases": _more("cases:queue", term, view="all"),
        "more_customers": _more("customers:list", term),
        "more_articles": _more("knowledge:list", term),
    }
    return render(request, "search/page.html", context)


urlpatterns = [path("search/", search_page, name="search")]
