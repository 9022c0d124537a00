"""The language of the page: zh-Hans unless the person chose English (the language cookie).

A page shows one language (issue 13): messages made in code carry both texts and say the one the page
is in. Work done for a person later (the worker's import check) runs in the language they started it in.
"""

from django.utils import translation


def english() -> bool:
    return (translation.get_language() or "zh-hans").lower().startswith("en")


def say(zh: str, en: str) -> str:
    """The text for the page's language."""
    return en if english() else zh


def current() -> str:
    """The active language code, to remember for work done later."""
    return "en" if english() else "zh-hans"
