"""The page "制度与参数" (POL-1, POL-2): the whole pack by module with clauses, overrides and history.

Thin: queries read, forms parse, actions write. Reading needs only a sign-in; changing needs
policy.manage (403 otherwise).
"""

import re
from itertools import groupby

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.core import clock
from kefu.core.errors import DomainError
from kefu.engine.calendars import api as calendars
from kefu.engine.policy import actions, api, pack, queries
from kefu.engine.policy.forms import OverrideForm, ValueForm
from kefu.org import access
from kefu.web.support import actor, apply_error, denied, web_view

MODULE_LABELS = {
    "claims": gettext_lazy("Customer registration (报备)"),
    "customers": gettext_lazy("Customer archive"),
    "cases": gettext_lazy("Service cases"),
    "knowledge": gettext_lazy("Knowledge base"),
    "mail": gettext_lazy("E-mail in and out"),
    "outbound": gettext_lazy("Messages to customers"),
    "retention": gettext_lazy("Record retention"),
    "security": gettext_lazy("Security and confidentiality"),
    "sla": gettext_lazy("Service deadlines"),
    "followups": gettext_lazy("Revisits"),
    "csat": gettext_lazy("Satisfaction surveys"),
    "care": gettext_lazy("Customer care"),
    "quality": gettext_lazy("Quality"),
    "kpi": gettext_lazy("Targets"),
    "training": gettext_lazy("Training"),  # TRN-1
    "workforce": gettext_lazy("Rostering"),
    "handover": gettext_lazy("Shift handover"),
    "leave": gettext_lazy("Rest and leave"),
    "attendance": gettext_lazy("Attendance"),
    "emergency": gettext_lazy("Emergencies"),
    "fees": gettext_lazy("Plan drafting fees"),
    "report": gettext_lazy("Work reports"),  # RPT-1
    "dashboards": gettext_lazy("Dashboards"),
    "appraisal": gettext_lazy("Appraisal"),  # APR-1
    "hardship": gettext_lazy("Hardship reports"),  # HRD-1
    "vendors": gettext_lazy("Outsourced vendor filings"),  # VEN-1
    "documents": gettext_lazy("Policy documents"),  # DOC-1
}


# Notes the system itself writes on a version, shown in the reader's language (a person's note as typed).
SYSTEM_NOTES = {"initial load by migration": gettext_lazy("Loaded when the database was created")}
# `PolicyVersion.source` of a change made on this page or through the API (actions.values.set_value)
EDIT_SOURCE = re.compile(r"edit of (?P<key>\S+) by (?P<who>.+)")


def _row(entry: api.Entry, overrides: dict, calendar_names: dict) -> dict:
    return {
        "entry": entry,
        "name": entry.name(),
        "display": entry.display(),
        "kind_label": pack.KIND_LABELS.get(entry.kind, entry.kind),
        "calendar_name": calendar_names.get(entry.calendar, entry.calendar),
        "overrides": [
            {"unit": o.override_unit_name, "display": o.display()} for o in overrides.get(entry.key, [])
        ],
    }


@web_view
def policy_list(request):
    me = actor(request)
    now = clock.now()
    version = api.version_at(now)
    overrides = queries.overrides_in_force(now)
    by_key = api.entries_of(version)
    entries = sorted(by_key.values(), key=lambda e: (e.module, e.key))
    calendar_names = calendars.names()
    groups = [
        {
            "module": module,
            "label": MODULE_LABELS.get(module, module),
            "rows": [_row(e, overrides, calendar_names) for e in items],
        }
        for module, items in groupby(entries, key=lambda e: e.module)
    ]
    context = {
        "version": version,
        "groups": groups,
        "versions": [_version_row(v, by_key) for v in queries.versions()],
        "scheduled_overrides": [_scheduled_row(o, by_key) for o in queries.scheduled_overrides(now)],
        "now": now,
        "can_manage": access.can(me, "policy.manage"),
    }
    return render(request, "policy/list.html", context)


def _version_row(version, entries: dict) -> dict:
    """A version as the history table shows it: its note and where it came from in the reader's words."""
    edit = EDIT_SOURCE.fullmatch(version.source)
    changed = None
    if edit:
        entry = entries.get(edit["key"])
        changed = {"key": edit["key"], "name": entry.name() if entry else "", "who": edit["who"]}
    return {
        "version": version,
        "note": SYSTEM_NOTES.get(version.note, version.note),
        "changed": changed,
    }


def _scheduled_row(override, entries: dict) -> dict:
    """A subsidiary's coming value: the entry by name and the value with its unit."""
    entry = entries.get(override.key)
    return {
        "override": override,
        "name": entry.name() if entry else override.key,
        "display": api.format_value(override.value, entry.unit) if entry else override.value.normalize(),
    }


def _current(key: str) -> api.Entry:
    return api.lookup(key)


@web_view
def policy_edit(request, key: str):
    me = actor(request)
    entry = _current(key)  # unknown key → 404
    if not access.can(me, "policy.manage"):
        return denied(request)
    initial = {"value": entry.value, "effective_from": clock.today()}
    form = ValueForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = actions.set_value(
                me, key, data["value"], effective_from=data["effective_from"], reason=data["reason"]
            )
        except DomainError as error:
            apply_error(form, error)
        else:
            messages.success(
                request,
                _("%(key)s: version %(number)s was created.") % {"key": key, "number": version.number},
            )
            return redirect("policy:list")
    return render(request, "policy/form.html", {"form": form, "entry": entry, "mode": "edit"})


@web_view
def policy_override(request, key: str):
    me = actor(request)
    entry = _current(key)
    if not access.can(me, "policy.manage"):
        return denied(request)
    initial = {"value": entry.value, "effective_from": clock.today()}
    form = OverrideForm(request.POST or None, initial=initial, subsidiaries=queries.subsidiaries())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.set_override(
                me, data["unit"], key, data["value"], data["effective_from"], reason=data["reason"]
            )
        except DomainError as error:
            apply_error(form, error)
        else:
            messages.success(
                request, _("%(unit)s: %(key)s was set.") % {"unit": data["unit"].name, "key": key}
            )
            return redirect("policy:list")
    return render(request, "policy/form.html", {"form": form, "entry": entry, "mode": "override"})
