"""zh-Hans is complete for the strings of customer governance and discipline, which keep their own
catalogues (app `locale/` directories) next to the project's."""

from pathlib import Path

import polib
import pytest
from django.utils import translation

import kefu

APPS = ("customers/governance", "discipline")


@pytest.mark.parametrize("app", APPS)
def test_app_catalogue_is_complete_and_compiled(app):
    folder = Path(kefu.__file__).resolve().parent / app / "locale" / "zh_Hans" / "LC_MESSAGES"
    po = polib.pofile(str(folder / "django.po"))
    entries = [e for e in po if not e.obsolete]
    assert entries and all(e.translated() and "fuzzy" not in e.flags for e in entries)
    for entry in entries:
        for name in ("%(name)s", "%(number)s", "%(step)s", "%(ladders)s", "%(per_customer)s"):
            assert (name in entry.msgid) == (name in entry.msgstr), entry.msgid
    mo = polib.mofile(str(folder / "django.mo"))
    assert {e.msgid: e.msgstr for e in mo if e.msgid} == {e.msgid: e.msgstr for e in entries}


def test_app_strings_are_served_in_chinese_by_default():
    with translation.override("zh-hans"):
        assert translation.gettext("Approval steps") == "审批步骤"
        assert translation.gettext("Record a penalty proposal") == "登记处罚建议"
    with translation.override("en"):
        assert translation.gettext("Approval steps") == "Approval steps"
