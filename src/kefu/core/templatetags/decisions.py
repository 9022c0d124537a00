"""`{% load decisions %}{% why obj %}`: the "为什么 / why" panel of a record (POL-3), each decision in a
sentence: 依据 (rule and clause), 输入 (inputs by name, values as people read them), 结论 (outcome)."""

from django import template

from kefu.core import decisions

register = template.Library()


@register.inclusion_tag("core/_why.html")
def why(obj):
    rows = [
        {
            "decision": decision,
            "outcome": decisions.outcome_text(decision.outcome),
            "inputs": decisions.display_inputs(decision.inputs),
        }
        for decision in decisions.for_object(obj)
    ]
    return {"decisions": rows}


@register.filter
def outcome_text(text):
    """Text stored as "中文 / English" (a reason, an outcome) in the page's language."""
    return decisions.outcome_text(str(text or ""))
