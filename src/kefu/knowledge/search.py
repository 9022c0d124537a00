"""Tokenising and ranking for the knowledge search (KB-1) — pure Python, no database.

The same code runs on SQLite and PostgreSQL: the database only answers `icontains` on each token,
weighted by these constants (`queries._score`). Chinese text has no spaces, so a query is split into words (runs of letters
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


def tokens(text: str) -> list[str]:
    """Distinct search tokens of `text`, in order of appearance, lower-cased, at most MAX_TOKENS."""
    found: list[str] = []
    for run in _RUN.findall((text or "").lower()):
        if _CJK.match(run):
            parts = [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
        else:
            parts = [run] if len(run) >= MIN_LATIN else []
        for part in parts:
            if part not in found:
                found.append(part)
                if len(found) == MAX_TOKENS:
                    return found
    return found


def paragraphs(body: str) -> list[str]:
    """The body as paragraphs (blank-line separated); the template escapes each one."""
    text = (body or "").replace("\r\n", "\n").strip()
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
