"""Reading workflow history: paused intervals are derived from state changes, never stored (WF-3)."""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType

from kefu.engine.workflow.models import StateChange


def target_of(obj) -> tuple[ContentType, str]:
    return ContentType.objects.get_for_model(obj), str(obj.pk)


def paused_intervals(obj, pause_states: tuple[str, ...], since: datetime, until: datetime) -> list[tuple]:
    """[(start, end)] within [since, until] during which `obj` sat in one of `pause_states`."""
    if not pause_states:
        return []
    content_type, object_id = target_of(obj)
    changes = StateChange.objects.filter(
        content_type=content_type, object_id=object_id, at__lte=until
    ).order_by("at", "id")
    intervals = []
    opened = None
    for change in changes:
        if change.to_state in pause_states and opened is None:
            opened = max(change.at, since)
        elif change.to_state not in pause_states and opened is not None:
            if change.at > since:
                intervals.append((opened, change.at))
            opened = None
    if opened is not None and until > opened:
        intervals.append((opened, until))
    return [(a, b) for a, b in intervals if b > a]


def history(obj):
    content_type, object_id = target_of(obj)
    return StateChange.objects.filter(content_type=content_type, object_id=object_id).select_related(
        "actor", "on_behalf_of"
    )
