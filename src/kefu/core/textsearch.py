"""Substring search over clear text columns, the same answer on SQLite and PostgreSQL (issue 13).

A term matches a row when every word of it (split on white space) is contained, case-insensitively,
in one of the row's searched columns — plain `icontains`, which is what SQLite runs. Chinese has no
spaces and pg_trgm indexes nothing shorter than three characters, so on PostgreSQL a GIN index over
each row's character bigrams (`kefu_grams`, created by core migration 0007; Lucene's CJKAnalyzer does
the same) answers first: a row can only contain a word if it holds every 2-character gram of that
word, so `grams @> the term's grams` narrows the rows through the index and `icontains` rechecks them.
The index is an expression index: nothing is stored and nothing needs keeping current by the actions.

A run is a maximal sequence of ASCII letters, digits or CJK ideographs (the same character ranges on
both sides: `RUN` here, the regular expression of the SQL function there — never the database's
locale classes, which differ between clusters); each run of n ≥ 2 characters gives its n − 1
overlapping grams. A term with no gram (one character) gets no help from the index: plain icontains.
"""

import re

from django.db import connection
from django.db.models import BooleanField, Func, Q

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
RUN = re.compile(rf"[0-9a-z{HAN}]+")
# ASCII only, as SQL translate() does it: str.lower() would also fold e.g. the Kelvin sign into "k"
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
MAX_WORDS = 5  # words of one term, each a condition of its own

# the SQL twin of `grams()`; IMMUTABLE so that an index may be built on it. COST: computing a row's
# grams takes ~10 µs (1,000,000 cases, bench/search.py) — priced so, the planner reads them from the
# index rather than computing them for every row another index gives (an agent's 333,000 own cases)
FUNCTION_SQL = rf"""
CREATE OR REPLACE FUNCTION kefu_grams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
    SELECT coalesce(array_agg(DISTINCT substr(run, i, 2)), '{{}}')
    FROM regexp_split_to_table(
        translate(value, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'),
        '[^0-9a-z{HAN}]+'
    ) AS run,
    generate_series(1, length(run) - 1) AS i
$$
"""  # noqa: S608 (constants only: no input reaches this text)


def grams(text: str) -> list[str]:
    """The distinct 2-character grams of `text`'s runs, in order of appearance."""
    found: dict[str, None] = {}
    for run in RUN.findall((text or "").translate(ASCII_LOWER)):
        for i in range(len(run) - 1):
            found.setdefault(run[i : i + 2], None)
    return list(found)


def words(term: str) -> list[str]:
    """The words of a search term (white space separates them), at most MAX_WORDS."""
    return (term or "").split()[:MAX_WORDS]


class GramsCover(Func):
    """`kefu_grams(col1 || ' ' || col2 …) @> ARRAY[grams]`: true when the row's text holds every gram.
    The expression is the one the table's index is built on (same columns, same order).

    The grams are written into the statement, not bound as a parameter: the connection prepares a
    statement it repeats (`core.config.prepared_statements`), and PostgreSQL then settles on a generic
    plan that does not know the grams — planned for 漏水 (in 14 % of the cases: walk the newest and
    compute), it walked all 1,000,000 cases for 白蚁 (in 23). A literal is safe: a gram is two
    characters of the closed alphabet `RUN` (checked here), never a quote or a backslash."""

    output_field = BooleanField()

    def __init__(self, *columns, grams):
        super().__init__(*columns)
        self.grams = list(grams)

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for arg in self.source_expressions:
            sql, more = compiler.compile(arg)
            parts.append(sql)
            params.extend(more)
        if not self.grams or not all(len(g) == 2 and RUN.fullmatch(g) for g in self.grams):
            raise ValueError("not grams")
        joined = " || ' ' || ".join(parts)
        literal = ", ".join(f"'{g}'" for g in self.grams)
        return f"kefu_grams({joined}) @> ARRAY[{literal}]::text[]", params


GRAM_STATISTICS = 1000  # ANALYZE's target for the grams (PostgreSQL's default: 100)


def index_sql(table: str, name: str, columns: tuple[str, ...]) -> list[str]:
    """The GIN index that `contains(…, *columns)` walks on PostgreSQL, and its statistics target: at
    the default target the rarest gram ANALYZE keeps is in 0.2 % of the rows, so every rarer one
    (白蚁: 23 cases in 1,000,000) is guessed at 0.1 % and the planner adds an agent's 333,000 own cases
    to the bitmap (90–145 ms); at 1000 it estimates 87 and reads the 23 (1 ms). ANALYZE of 1,000,000
    cases then takes about a minute on a loaded 2-core machine (autovacuum does it)."""
    joined = " || ' ' || ".join(f'"{c}"' for c in columns)
    return [
        f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin (kefu_grams({joined}))',
        f'ALTER INDEX "{name}" ALTER COLUMN 1 SET STATISTICS {GRAM_STATISTICS}',
    ]


def is_gram(word: str) -> bool:
    """The word is one gram itself (two run characters: 漏水, A3): holding the gram is containing it."""
    return len(word) == 2 and RUN.fullmatch(word.translate(ASCII_LOWER)) is not None


def contains(term: str, *columns: str) -> Q:
    """Rows where every word of `term` is contained in one of `columns` (case-insensitive); on
    PostgreSQL narrowed first by the gram index on exactly these columns (see the module), and only
    the words that are not a gram themselves rechecked — the gram answers a two-character word
    exactly (no gram spans two columns: they are joined by a space), and the planner estimates the
    index's condition from its statistics but a LIKE only by a guess (0.5 %), which made it walk an
    agent's 333,000 own cases for 漏水 (in 14 % of them) instead of using the index."""
    postgresql = connection.vendor == "postgresql"
    condition = Q()
    needed: dict[str, None] = {}
    for word in words(term):
        needed.update(dict.fromkeys(grams(word)))
        if not (postgresql and is_gram(word)):
            condition &= Q.create([(f"{column}__icontains", word) for column in columns], connector=Q.OR)
    if needed and postgresql:
        return Q(GramsCover(*columns, grams=needed)) & condition
    return condition
