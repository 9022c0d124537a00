"""Every schema name in the OpenAPI document belongs to one model (issue 10).

ninja builds the document one operation at a time and merges each model's `$defs` into
`components/schemas` by name, silently keeping the last: two classes called `CustomerIn` in two apps
give one component, and every operation that refers to the other documents the wrong body. pydantic
names a definition after the last part of the class's qualified name (`CasePagination.Input` →
`Input`), so that is the key checked here, over every model of every operation, nested ones included.
Classes that share a name are allowed only while they document the same thing (the same JSON schema
in both modes: three `Ref {id, name}`, ninja's per-operation copies of one paged output); the moment
one of them changes, the check names both.
"""

import enum
import json
import typing
from collections import defaultdict

import pytest
from pydantic import BaseModel

from kefu.core.http_support import ERROR_ENVELOPE
from kefu.http import api


def _named_types(tp, seen: set) -> typing.Iterator[type]:
    """Every pydantic model and enum reachable from the annotation `tp`."""
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        yield tp
        return
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        if tp in seen:
            return
        seen.add(tp)
        if not _is_ninja_wrapper(tp):
            yield tp
        for field in tp.model_fields.values():
            yield from _named_types(field.annotation, seen)
        return
    for arg in typing.get_args(tp):
        yield from _named_types(arg, seen)


def _is_ninja_wrapper(model) -> bool:
    """ninja's own per-operation containers (QueryParams, BodyParams, NinjaResponseSchema …) are
    flattened away and never become components."""
    return hasattr(model, "__ninja_param_source__") or model.__name__ == "NinjaResponseSchema"


def _component_name(cls: type) -> str:
    return cls.__qualname__.rsplit(".", 1)[-1]


def operations():
    for router in api._get_bound_routers():
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                yield f"{','.join(operation.methods)} {router.prefix}{path}", operation


def names_to_models() -> dict[str, dict[type, set[str]]]:
    """component name → {model class → the operations using it}."""
    found: dict[str, dict[type, set[str]]] = defaultdict(lambda: defaultdict(set))
    for where, operation in operations():
        roots = [*operation.models, *(m for m in operation.response_models.values() if m)]
        for root in roots:
            if not (isinstance(root, type) and issubclass(root, BaseModel)):
                continue
            for cls in _named_types(root, set()):
                found[_component_name(cls)][cls].add(where)
    return found


def _schema(cls: type) -> str:
    if issubclass(cls, enum.Enum):
        return json.dumps([m.value for m in cls], default=str)
    return json.dumps(
        [cls.model_json_schema(mode=mode) for mode in ("validation", "serialization")],
        sort_keys=True,
        default=str,
    )


def duplicates(found: dict[str, dict[type, set[str]]]) -> dict[str, dict[type, set[str]]]:
    """The names that stand for models documenting different things."""
    return {name: classes for name, classes in found.items() if len({_schema(cls) for cls in classes}) > 1}


def _described(classes: dict[type, set[str]]) -> str:
    return "; ".join(
        f"{cls.__module__}.{cls.__qualname__} (used by {sorted(uses)[0]}…)" for cls, uses in classes.items()
    )


def test_each_component_name_belongs_to_one_model():
    # issue 10: 12 names were reused, so 64 documented bodies were wrong
    reused = duplicates(names_to_models())
    assert not reused, "\n".join(f"{name}: {_described(c)}" for name, c in sorted(reused.items()))


def test_the_check_catches_two_models_under_one_name():
    from ninja import Schema

    class Twin(Schema):
        id: int

    first = Twin

    class Twin(Schema):  # the point: a second class of the same name
        id: int
        name: str

    found = {"Twin": {first: {"GET /a"}, Twin: {"GET /b"}}, "Same": {first: {"GET /c"}}}
    assert set(duplicates(found)) == {"Twin"}


def test_the_walk_sees_bodies_responses_nested_models_and_enums():
    found = names_to_models()
    # a request body, a response, a model only nested in another (CustomerOut.owner), an enum
    assert {"CustomerIn", "CustomerOut", "Ref", "UnitKind"} <= set(found), sorted(found)


@pytest.mark.django_db
def test_every_component_in_the_document_is_one_the_walk_found(client):
    """The walk covers what ninja puts into the document: no component comes from elsewhere."""
    doc = client.get("/api/v1/openapi.json").json()
    walked = set(names_to_models())
    # the one component kefu adds itself (every operation's 4XX answer) is no model's name
    assert ERROR_ENVELOPE in doc["components"]["schemas"] and ERROR_ENVELOPE not in walked
    assert set(doc["components"]["schemas"]) - {ERROR_ENVELOPE} <= walked
