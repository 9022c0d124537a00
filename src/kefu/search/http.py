"""Global search under /api/v1/search (issue 13): the same three sections as the page, scoped as each
list is — cases (every state, newest first), customers (phone masked, SEC-2), knowledge articles."""

from datetime import datetime

from ninja import Query, Router, Schema

from kefu.core.http_support import actor
from kefu.search import queries

router = Router(tags=["search"])


class SearchCaseOut(Schema):
    id: int
    number: str
    title: str
    state: str
    contact_name: str
    received_at: datetime


class SearchCustomerOut(Schema):
    id: int
    name: str
    company: str
    masked_phone: str
    unit: str


class SearchArticleOut(Schema):
    id: int
    title: str
    category: str
    state: str


class CasesFound(Schema):
    items: list[SearchCaseOut]
    more: bool


class CustomersFound(Schema):
    items: list[SearchCustomerOut]
    more: bool


class ArticlesFound(Schema):
    items: list[SearchArticleOut]
    more: bool


class SearchOut(Schema):
    q: str
    cases: CasesFound | None = None  # null: the caller has no case list at all (no case.view)
    customers: CustomersFound | None = None
    articles: ArticlesFound | None = None


def _customer(row) -> dict:
    return {
        "id": row.pk,
        "name": row.name,
        "company": row.company,
        "masked_phone": row.masked_phone,
        "unit": row.unit.name,
    }


def _article(row) -> dict:
    return {"id": row.pk, "title": row.title, "category": row.category.name, "state": row.state}


def _section(section, shape) -> dict | None:
    if section is None:
        return None
    return {"items": [shape(row) for row in section.rows], "more": section.more}


@router.get(
    "",
    response=SearchOut,
    summary="Issue 13: search cases, customers and knowledge at once",
    description="`q`: a case number, words of a case's title, description or contact name (two-character "
    "Chinese words match), a customer's name or company, a full phone number (exact, by blind index) or "
    "words of an article. Each section lists at most 10 rows — cases in every state newest first, "
    "customers newest first, articles by relevance — scoped as the caller's lists are; `more` says the "
    "list has further rows (`GET /cases?q=`, `/customers?q=`, `/knowledge/articles?q=`). A section is "
    "null when the caller has no such list.",
)
def search(request, q: str = Query("", max_length=queries.MAX_LENGTH)):
    found = queries.search(actor(request), q)
    return {
        "q": found.term,
        "cases": _section(found.cases, lambda row: row),
        "customers": _section(found.customers, _customer),
        "articles": _section(found.articles, _article),
    }
