"""`{% load decisions %}{% why obj %}`: the "为什么 / why" panel of a record (POL-3)."""

from django import template

from kefu.core import decisions

register = template.Library()


@register.inclusion_tag("core/_why.html")
def why(obj):
    rows = []
    for decision in decisions.for_object(obj):
        inputs = decision.inputs if isinstance(decision.inputs, dict) else {"value": decision.inputs}
        rows.append({"decision": decision, "inputs": sorted(inputs.items())})
    return {"decisions": rows}
