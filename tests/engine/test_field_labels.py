"""A refused transition names what is missing in words, never by the field's code (issue 13)."""

from django.apps import apps

from kefu.engine.workflow import declare


def test_every_required_field_of_every_lifecycle_has_a_chinese_name():
    assert apps.ready and declare._LIFECYCLES  # the apps' lifecycle modules registered theirs
    unnamed = [
        f"{lifecycle.model}.{name} ({move.name})"
        for lifecycle in declare._LIFECYCLES.values()
        for move in lifecycle.transitions
        for name in move.required
        if name not in lifecycle.labels
    ]
    assert not unnamed, unnamed
