"""Tokenising and ranking for the knowledge search (KB-1) — pure Python, no database.

The same code runs on SQLite and PostgreSQL: the search page's database only answers `icontains` on
each token, weighted by these constants (`queries._score`); the case page's suggestion adds up the
weights of an article's indexed terms (`terms`, kept in `ArticleTerm` by the actions). Chinese text has no spaces, so a query is split into words (runs of letters
or digits) and each run of CJK characters into its overlapping character bigrams
("停水通知" → 停水, 水通, 通知); a single CJK character stands for itself.
"""

import re

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_HAN}]+|[^\W_{_HAN}]+")
_CJK = re.compile(rf"[{_HAN}]")
MAX_TOKENS = 24  # a pasted case description must not become hundreds of LIKE clauses
MIN_LATIN = 2  # one Latin letter or digit matches almost everything

TITLE_WEIGHT = 5
KEYWORD_WEIGHT = 4
BODY_WEIGHT = 1


MAX_TERM = 64  # longer Latin runs (a pasted URL) are not indexed as terms


def tokens(text: str, limit: int | None = MAX_TOKENS) -> list[str]:
    """Distinct search tokens of `text`, in order of appearance, lower-cased, at most `limit`."""
    found: dict[str, None] = {}
    for run in _RUN.findall((text or "").lower()):
        if _CJK.match(run):
            parts = [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
        else:
            parts = [run] if len(run) >= MIN_LATIN else []
        for part in parts:
            if part not in found:
                found[part] = None
                if len(found) == limit:
                    return list(found)
    return list(found)


def terms(*, title: str, keywords: str, body: str) -> dict[str, int]:
    """Every token of an article (no MAX_TOKENS cap) with its weight: the sum of the weights of the
    fields it occurs in — what a suggestion adds up for the tokens of a case (issue 13: by index,
    instead of matching every article's text). A term is a whole token: a bigram of Chinese, a lone
    Chinese character, a Latin word or number."""
    found: dict[str, int] = {}
    for text, weight in ((title, TITLE_WEIGHT), (keywords, KEYWORD_WEIGHT), (body, BODY_WEIGHT)):
        for token in tokens(text, limit=None):
            if len(token) <= MAX_TERM:
                found[token] = found.get(token, 0) + weight
    return found


def paragraphs(body: str) -> list[str]:
    """The body as paragraphs (blank-line separated); the template escapes each one."""
    text = (body or "").replace("\r\n", "\n").strip()
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
