"""The archive's own sources of the customer timeline (CUS-9), registered from apps.ready().

They show what happened in words, never raw codes: audited actions by label, field changes with the
field's name and its old → new value (personal data — phone, ID, address, emergency contact — is
kept in the history only as a fingerprint, so a change says that it changed and, for the latest
one, the current value: in full for holders of customer.view_full, else masked, SEC-2), change
requests with their proposed values (masked the same way), contacts and decisions.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kefu.core import decisions
from kefu.core.models import AuditEvent, Decision
from kefu.customers import timeline
from kefu.customers.models import Customer
from kefu.customers.queries import masks
from kefu.customers.queries.changes import proposed
from kefu.customers.queries.masks import ENCRYPTED, history_value
from kefu.customers.timeline import ACTION_LABELS, Entry
from kefu.customers.views.archive import CustomerForm
from kefu.org.models import Employee, Unit

OTHER_FIELDS = {"specialist": _("Specialist"), "grade": _("Grade"), "assignment_state": _("Assignment")}


def field_label(name: str) -> str:
    """The field's name as the form shows it (电话, 客户层级 …)."""
    field = CustomerForm.base_fields.get(name)
    if field is not None:
        return str(field.label)
    return str(OTHER_FIELDS.get(name, name))


def references(rows) -> dict[tuple[str, str], str]:
    """Names of the units and employees that history values point at: two queries at most."""
    wanted: dict[str, set[str]] = {"unit": set(), "employee": set()}
    for name, values in rows:
        kind = "unit" if name == "unit" else "employee"
        wanted[kind].update(v for v in values if v and v.isdigit())
    names = {}
    for kind, model in (("unit", Unit), ("employee", Employee)):
        if wanted[kind]:
            for pk, title in model.objects.filter(pk__in=wanted[kind]).values_list("pk", "name"):
                names[(kind, str(pk))] = title
    return names


REFERENCES = {"unit": "unit", "owner": "employee", "family_of": "employee", "specialist": "employee"}


def display_value(name: str, raw, names: dict) -> str:
    """A stored value as people read it: choice labels, names of units and employees, 是/否."""
    if raw in ("", None):
        return "—"
    if name in REFERENCES:
        return names.get((REFERENCES[name], raw), f"#{raw}")
    try:
        field = Customer._meta.get_field(name)
    except Exception:
        return raw
    if field.choices:
        return str(dict(field.choices).get(raw, raw))
    if isinstance(field, models.BooleanField):
        return gettext("Yes") if raw == "True" else gettext("No")
    return raw


# ---------------------------------------------------------------- the archive's own sources


def _changes(actor, customer) -> list[Entry]:
    """Field changes (CUS-4), one entry per save: the fields by name with old → new."""
    rows = list(customer.changes.select_related("changed_by")[:200])
    names = references([(r.field, (r.old, r.new)) for r in rows if r.field in REFERENCES])
    full = masks.may_see_full(actor, customer)
    latest_seen: set[str] = set()
    groups: dict[tuple, list] = {}
    for row in rows:  # newest first
        groups.setdefault((row.changed_at, row.changed_by_id, row.request_id), []).append(row)
    entries = []
    for (at, _by, request_id), changed in groups.items():
        parts = []
        for row in sorted(changed, key=lambda r: r.field):
            label = field_label(row.field)
            if row.field in ENCRYPTED:
                current = getattr(customer, row.field)
                latest = row.field not in latest_seen
                if latest and row.new and row.new == history_value(row.field, current):
                    parts.append(f"{label}{gettext(': changed to ')}{masks.shown(row.field, current, full)}")
                else:
                    parts.append(f"{label}{gettext(': changed')}")
            else:
                parts.append(
                    f"{label}：{display_value(row.field, row.old, names)} → {display_value(row.field, row.new, names)}"
                )
            latest_seen.add(row.field)
        by = changed[0].changed_by
        if request_id:
            title = gettext("Archive updated by a verified change request")
        elif by is None:
            title = gettext("Archive updated automatically")
        else:
            title = gettext("Archive updated")
        entries.append(
            Entry(
                at=at,
                kind="change",
                title=title,
                detail="；".join(parts),
                by=by.get_username() if by else "system",
            )
        )
    return entries


def _contacts(actor, customer) -> list[Entry]:
    return [
        Entry(
            at=r.at, kind="contact", title=gettext("Contact recorded"), detail=r.note, by=r.by.get_username()
        )
        for r in customer.contact_records.select_related("by")[:200]
    ]


def proposal(request, full: bool, names: dict) -> list[tuple[str, str]]:
    """A change request's proposed values as (field name, value shown): personal data masked unless
    `full` (SEC-2); `names` from `references(proposal_references(requests))`."""
    values = proposed(request)
    rows = []
    for name in request.fields:
        value = values.get(name)
        if name in ENCRYPTED:
            rows.append((field_label(name), masks.shown(name, value, full) or "—"))
        else:
            rows.append((field_label(name), display_value(name, "" if value is None else str(value), names)))
    return rows


def proposal_references(requests) -> list[tuple[str, tuple]]:
    pairs = []
    for request in requests:
        values = proposed(request)
        pairs.extend(
            (name, (str(values[name]),)) for name in REFERENCES if values.get(name) not in (None, "")
        )
    return pairs


def _audit(actor, customer) -> list[Entry]:
    hidden = [code for code, label in ACTION_LABELS.items() if label is None]
    events = list(
        AuditEvent.objects.filter(object_type="customers.customer", object_id=str(customer.pk))
        .exclude(action__in=hidden)
        .order_by("-id")[:200]  # unsealed rows too: the history shows what was just done
    )
    requests = {r.pk: r for r in customer.change_requests.all()}
    full = masks.may_see_full(actor, customer) if requests else False
    names = references(proposal_references(requests.values())) if requests else {}
    entries = []
    for event in events:
        after = event.after if isinstance(event.after, dict) else {}
        label = ACTION_LABELS.get(event.action)
        title = str(label) if label is not None else gettext("Other action")
        detail = "" if label is not None else event.action
        if event.action == "customer.change_request" and after.get("request") in requests:
            rows = proposal(requests[after["request"]], full, names)
            detail = "；".join(f"{label} → {value}" for label, value in rows)
        elif event.action == "customers.customer.assign":
            detail = str(after.get("specialist") or "")
        elif event.action == "customer.contact_add":
            detail = " · ".join(str(after[k]) for k in ("name", "position") if after.get(k))
        elif event.reason and event.action != "customer.change_request":
            detail = decisions.outcome_text(event.reason)
        entries.append(Entry(at=event.at, kind="audit", title=title, detail=detail, by=event.actor_name))
    return entries


def _decisions(actor, customer) -> list[Entry]:
    rows = (
        Decision.objects.filter(
            content_type=ContentType.objects.get_for_model(customer), object_id=str(customer.pk)
        )
        .select_related("actor")
        .order_by("-made_at")[:200]
    )
    return [
        Entry(
            at=d.made_at,
            kind="decision",
            title=f"{gettext('Automatic decision')} · {d.rule}",
            detail=decisions.outcome_text(d.outcome),
            by=d.actor.get_username() if d.actor_id else gettext("system"),
        )
        for d in rows
    ]


def register() -> None:
    timeline.register("customers.changes", _changes)
    timeline.register("customers.contacts", _contacts)
    timeline.register("customers.audit", _audit)
    timeline.register("customers.decisions", _decisions)
