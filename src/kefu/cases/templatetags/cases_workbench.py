"""Small filters of the workbench templates."""

from django import template

register = template.Library()


@register.filter
def get_item(values, name):
    """`values|get_item:name`: a value of a dict by a key held in a variable (a form field as typed)."""
    return (values or {}).get(name, "") if isinstance(values, dict) else ""
