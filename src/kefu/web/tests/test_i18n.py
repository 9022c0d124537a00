"""zh-Hans is the default language and complete; the committed .mo matches the .po."""

from pathlib import Path

import polib
from django.conf import settings
from django.utils import translation

import kefu

LOCALE = Path(kefu.__file__).resolve().parent / "locale" / "zh_Hans" / "LC_MESSAGES"


def _live(entries):
    return [e for e in entries if not e.obsolete]


def test_zh_hans_is_complete_and_not_fuzzy():
    po = polib.pofile(str(LOCALE / "django.po"))
    assert not po.metadata_is_fuzzy
    entries = _live(po)
    assert len(entries) > 100
    untranslated = [e.msgid for e in entries if not e.translated()]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []
    for entry in entries:
        values = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        assert all(v.strip() for v in values), entry.msgid
        # placeholders survive translation
        for name in ("%(name)s", "%(total)s", "%(minutes)s", "%(seq)s", "%(until)s", "%(day)s"):
            if name in entry.msgid:
                assert all(name in v for v in values), entry.msgid


def test_mo_matches_po():
    po = polib.pofile(str(LOCALE / "django.po"))
    mo = polib.mofile(str(LOCALE / "django.mo"))

    def key(entry):
        return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")

    def value(entry):
        if entry.msgid_plural:
            return tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
        return (entry.msgstr,)

    from_po = {key(e): value(e) for e in _live(po) if e.translated()}
    from_mo = {key(e): value(e) for e in mo if e.msgid}
    assert from_mo == from_po, "run compilemessages and commit django.mo"


def test_default_language_is_chinese():
    assert settings.LANGUAGE_CODE == "zh-hans"
    with translation.override("zh-hans"):
        assert translation.gettext("Employees") == "人员"
        assert translation.gettext("Audit log") == "审计日志"
    with translation.override("en"):
        assert translation.gettext("Employees") == "Employees"


def test_every_template_string_is_in_a_catalogue():
    # a new {% translate %} without a catalogue entry shows English on the Chinese UI: run
    # makemessages and translate it
    import re

    known = set()
    for po_path in Path(kefu.__file__).resolve().parent.rglob("locale/zh_Hans/LC_MESSAGES/django.po"):
        known |= {e.msgid for e in _live(polib.pofile(str(po_path))) if e.translated()}
    pattern = re.compile(r"""{%\s*translate\s+(["'])(.+?)\1""")
    missing = []
    for template in Path(kefu.__file__).resolve().parent.rglob("templates/**/*.html"):
        for match in pattern.finditer(template.read_text(encoding="utf-8")):
            if match.group(2).replace("%", "%%") not in known and match.group(2) not in known:
                missing.append(f"{template.name}: {match.group(2)}")
    assert missing == []
