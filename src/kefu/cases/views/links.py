"""Links other apps put on the case page (e.g. emergency's "升级为突发事件", EMG-5): each app registers a
function from its `apps.ready()`; the case page asks them for the viewer. Cases imports none of them."""

from collections.abc import Callable

# (viewer actor, case) → [(element id, label, url)] — only the links the viewer may use
_PROVIDERS: list[Callable] = []


def register(provider: Callable) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def for_case(me, case) -> list[tuple[str, str, str]]:
    return [link for provider in _PROVIDERS for link in provider(me, case)]
