"""Global search (issue 13): one term over cases, customers and knowledge, each through its own list's
query — so a reader finds exactly what their role's lists would show them (scopes, masking, 404s).

Cases in every state, newest first (`cases.queries.intake.matching`: number, text, customer name,
phone by blind index); customers newest first (`customers.queries.archive.matching`); articles ranked
as the knowledge base ranks them (KB-1). Each section shows SHOWN rows and says whether there are more;
"更多" leads to that list filtered by the same term.
"""

from dataclasses import dataclass

from kefu.cases.queries import intake as case_queries
from kefu.core.actor import Actor
from kefu.core.errors import Invalid
from kefu.customers.queries import archive as customer_queries
from kefu.customers.queries import masks as customer_masks
from kefu.knowledge import queries as knowledge_queries
from kefu.org import access

SHOWN = 10  # rows per section: enough to spot the record, never a list to browse (本系统默认值)
MAX_LENGTH = 100  # as the lists' own search boxes


@dataclass
class Section:
    rows: list
    more: bool  # rows beyond SHOWN exist: "更多" opens the full list


@dataclass
class Found:
    term: str
    cases: Section | None  # None: the reader has no such list at all
    customers: Section | None
    articles: Section | None


def term_of(q: str) -> str:
    """The term as searched; refused (in Chinese and English) when longer than the lists accept."""
    term = (q or "").strip()
    if len(term) > MAX_LENGTH:
        raise Invalid(
            "search_term_too_long",
            f"搜索词最多 {MAX_LENGTH} 个字",
            f"A search term has at most {MAX_LENGTH} characters",
            {"q": "too long"},
        )
    return term


def _section(rows) -> Section:
    rows = list(rows[: SHOWN + 1])
    return Section(rows=rows[:SHOWN], more=len(rows) > SHOWN)


def search(actor: Actor, q: str) -> Found:
    """What `actor` finds with `q`; every section empty for an empty term."""
    term = term_of(q)
    found = Found(term=term, cases=None, customers=None, articles=None)
    if access.can(actor, "case.view"):
        matched = case_queries.cases(actor, q=term) if term else case_queries.cases(actor).none()
        found.cases = _section(matched.order_by("-received_at", "-pk"))
    if access.can(actor, "customer.view"):
        matched = customer_queries.customers(actor, q=term)
        found.customers = _section((matched if term else matched.none()).order_by("-created_at", "-pk"))
        for customer in found.customers.rows:
            customer.masked_phone = customer_masks.masked_phone(customer)  # SEC-2
    if access.can(actor, "kb.view") or access.can(actor, "kb.edit"):
        matched = knowledge_queries.search(actor, q=term)
        found.articles = _section(matched if term else matched.none())
    return found
