"""What a Chinese user reads is Chinese (issue 13 "Chinese everywhere a Chinese user looks").

The catalogue test (`web/tests/test_i18n.py`) checks the strings templates translate; this one checks
what the pages really show, including text that Python code puts there (decision panels, statuses,
inbox titles, audit actions, raw `sla.*` keys, ISO timestamps, `None`). With the whole demo loaded
(sample cases and knowledge base too), it signs in as one person of every demo role (and reads the public pages as a customer), follows the
links of the pages it reaches (same site, GET, one page per URL shape — `/cases/17/` and `/cases/18/`
are one shape — and at most PAGES_PER_PERSON pages per person), and scans each page's visible text and
its title/placeholder/aria-label attributes for words in Latin letters.

What may stay Latin: product and format names (kefu, Excel, PDF, API …), rule IDs such as CASE-6 (they
belong to "为什么", tooltips and the policy page), e-mail addresses, the demo people's sign-in names,
the numbers of records, and a clause quoted verbatim from the source policies (<q>, <blockquote>): those
are their words, e.g. 004's "各质量管理(qc)小组…". KNOWN_ENGLISH lists what pages show today, by URL
shape; it may only shrink — the test fails on a new word, and on a listed word a shape no longer shows.
"""

import json
import os
import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client

from kefu import demo as demo_data
from kefu.core.actor import Actor
from kefu.followups.actions import survey_links
from kefu.followups.models import SurveyAnswer
from kefu.org.models import Employee, RoleAssignment
from tests.db_snapshot import load_or_replay

pytestmark = pytest.mark.django_db

PAGES_PER_PERSON = 60
SKIP = ("/api/", "/django-admin/", "/logout", "/i18n/", "/static/", "/media/", "/healthz")
# a link that downloads or acts rather than shows a page
SKIP_SUFFIXES = (".xlsx", ".pdf", ".ics", ".csv", "/download/", "/export/", "/report/", "/template/")
ALLOWED = {
    "kefu",
    "Excel",
    "PDF",
    "API",
    "Token",
    "xlsx",
    "csv",
    "HTML",
    "OpenAPI",
    "Bearer",
    "iCalendar",
    "SMTP",
    "URL",
    "ID",
    "IP",
    "CSV",
    "VIP",
    "WAV",
    "English",  # the language switcher names the other language in its own words
}
WORD = re.compile(r"[A-Za-z][A-Za-z_.]*[A-Za-z]|[A-Za-z]")
RULE_ID = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2,5}-\d{1,2}(?![A-Za-z0-9])")
# record numbers and codes in capitals: KF-HC-20261204-0001, WA0001, HC, A/B/C/D grades
NUMBER = re.compile(r"(?<![A-Za-z0-9])[A-Z]{1,4}(?:[-0-9A-Z]*[0-9A-Z])?(?![a-z])")
HEX = re.compile(
    r"(?<![A-Za-z0-9])[0-9a-f]*[0-9][0-9a-f]*(?![A-Za-z0-9])"
)  # hashes, prefixes of the audit chain
DOTTED_KEY = re.compile(r"\b[a-z_]+(?:\.[a-z_]+)+\b")
EMAIL = re.compile(r"[\w.+*-]+@[\w-]+(?:\.[\w-]+)+")  # a masked address (z***@…) too
TOKEN_PREFIX = re.compile(r"\bkefu_[A-Za-z0-9_]+")
ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
# a code, a key on the keyboard, a clause quoted verbatim from the seeds: scanned for dotted keys only
LITERAL = ("code", "kbd", "q", "blockquote")

# What pages show today (URL shape → Latin words), emptied by issue 13. Never add to it.
KNOWN_ENGLISH: dict[str, set[str]] = {}
# Links a page offers that answer 403/404 to the person it is shown to ("link shape ← page shape status").
KNOWN_DEAD_LINKS: set[str] = set()


class _Text(HTMLParser):
    """The visible text and labelling attributes of a page; the links it offers."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.literal = 0  # inside one of LITERAL: a code, a key or a verbatim quote, not our words
        self.text: list[str] = []
        self.codes: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "template"):
            self.hidden += 1
        if tag in LITERAL:
            self.literal += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name in ATTRIBUTES & set(attrs):
            if attrs[name]:
                self.text.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.text.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self.hidden:
            self.hidden -= 1
        if tag in LITERAL and self.literal:
            self.literal -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            (self.codes if self.literal else self.text).append(data)


def shape(path: str) -> str:
    """`/cases/17/` and `/cases/18/` are one page shape: `/cases/{n}/`; so are two policy entries' pages."""
    return re.sub(r"/[a-z_]+(?:\.[a-z_]+)+(?=/|$)", "/{key}", re.sub(r"/\d+(?=/|$)", "/{n}", path))


def latin_words(text: str, codes: str, names: set[str], *, policy_page: bool = False) -> set[str]:
    """Latin words of the text; of codes (<code>, <kbd>) only internal dotted keys such as
    `sla.first_response` — except on the policy pages, where the key names the entry (issue 13)."""
    text = HEX.sub(" ", NUMBER.sub(" ", EMAIL.sub(" ", TOKEN_PREFIX.sub(" ", RULE_ID.sub(" ", text)))))
    words = {w for w in WORD.findall(text) if w not in ALLOWED and w.lower() not in names}
    return words | set(DOTTED_KEY.findall(codes)) if not policy_page else words


def latin_shown(html: str, names=(), *, policy_page: bool = False) -> set[str]:
    """The Latin words one page shows, by this scan's rules (for a page's own tests)."""
    parser = _Text()
    parser.feed(html)
    return latin_words(" ".join(parser.text), " ".join(parser.codes), set(names), policy_page=policy_page)


def crawl(client: Client, names: set[str], dead: set[str], start: str = "/") -> dict[str, set[str]]:
    """{page shape: Latin words} for the pages one signed-in person reaches from the home page; links
    that answer 403 or 404 to that person go into `dead` ("shape ← page shape status")."""
    found: dict[str, set[str]] = defaultdict(set)
    came_from: dict[str, str] = {}
    seen_shapes: set[str] = set()
    queue = [start]
    while queue and len(seen_shapes) < PAGES_PER_PERSON:
        path = queue.pop(0)
        if shape(urlsplit(path).path) in seen_shapes:
            continue
        seen_shapes.add(shape(urlsplit(path).path))
        response = client.get(path)
        if response.status_code in (403, 404):
            dead.add(f"{shape(urlsplit(path).path)} ← {came_from.get(path, '?')} {response.status_code}")
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Text()
        parser.feed(response.content.decode())
        page = shape(urlsplit(path).path)
        words = latin_words(
            " ".join(parser.text), " ".join(parser.codes), names, policy_page=page.startswith("/policy/")
        )
        if words:
            found[shape(urlsplit(path).path)] |= words
        for link in parser.links:
            link = urldefrag(link)[0]
            target = urlsplit(link)
            if target.scheme or target.netloc or not target.path.startswith("/"):
                continue
            if target.path.startswith(SKIP) or target.path.endswith(SKIP_SUFFIXES):
                continue
            if shape(target.path) not in seen_shapes:
                queue.append(link)
                came_from.setdefault(link, shape(urlsplit(path).path))
    return found


def test_pages_show_chinese_to_every_role(admin_user):
    load_or_replay(demo_data.load)
    people = list(Employee.objects.select_related("user").order_by("pk"))
    names = {p.user.username.lower() for p in people} | {"admin"}
    one_per_role = {}
    for assignment in RoleAssignment.objects.select_related("role", "employee__user").order_by("pk"):
        one_per_role.setdefault(assignment.role.code, assignment.employee)
    client = Client()
    shown: dict[str, set[str]] = defaultdict(set)
    dead: set[str] = set()
    for employee in one_per_role.values():
        client.force_login(employee.user)
        for page, words in crawl(client, names, dead).items():
            shown[page] |= words
    # and what a customer reads without signing in: the public form, its pages and the case lookup
    for page, words in crawl(Client(), names, dead, start="/service/").items():
        shown[page] |= words
    # CSAT-1: the satisfaction survey a customer opens from the link (a fresh link: only hashes are kept)
    answered = SurveyAnswer.objects.filter(current=True, survey__case__state="closed").order_by("pk").first()
    token = survey_links.issue(Actor.system("test"), answered.survey.case)[1]
    for page, words in crawl(Client(), names, dead, start=f"/survey/{token}/").items():
        shown[page] |= words
    if os.environ.get("KEFU_CHINESE_SCAN_OUT"):  # what pages show now, to shrink the lists by hand
        Path(os.environ["KEFU_CHINESE_SCAN_OUT"]).write_text(
            json.dumps({"shown": {k: sorted(v) for k, v in shown.items()}, "dead": sorted(dead)}, indent=1)
        )
    new = {page: sorted(words - KNOWN_ENGLISH.get(page, set())) for page, words in shown.items()}
    new = {page: words for page, words in new.items() if words}
    gone = {
        page: sorted(words - shown.get(page, set()))
        for page, words in KNOWN_ENGLISH.items()
        if words - shown.get(page, set())
    }
    problems = [f"{page} shows {words}" for page, words in sorted(new.items())]
    problems += [
        f"KNOWN_ENGLISH {page}: no longer shows {words} — remove them" for page, words in gone.items()
    ]
    problems += [f"a link answers 403/404: {link}" for link in sorted(dead - KNOWN_DEAD_LINKS)]
    problems += [f"KNOWN_DEAD_LINKS: {link} is gone — remove it" for link in sorted(KNOWN_DEAD_LINKS - dead)]
    assert not problems, "\n".join(problems)
