"""Agent workbench pages (CASE-1…CASE-3, SLA-2, SEC-2): 我的工单 (the caller's open cases and their
skill groups' queue, with the live clocks), the new-case form (search-or-create the customer with
masked data) and the case page with its forms — transitions as buttons (CASE-3), comments and
replies, identity check, suggested knowledge articles (KB-1), the clocks and the "为什么" panel.
Every form re-renders the page with the input kept and the refusal in Chinese and English; the
case page's transfer and escalation forms are in `routing.py`, its files in `attachments.py`.

Forms parse; the rules (required reasons, guards, scopes) live in the actions.
"""

import secrets

from django import forms
from django.db.models import F
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods, require_POST

from kefu.cases import lifecycle, triggers
from kefu.cases.actions import attachments as actions_attachments
from kefu.cases.actions import blocks as action_blocks
from kefu.cases.actions import intake
from kefu.cases.actions import routing as actions_routing
from kefu.cases.models import OPEN_STATES, CaseState, Channel, ClosureReport, Family, Priority
from kefu.cases.queries import intake as queries
from kefu.cases.queries import routing as routing_queries
from kefu.cases.views import blocks, links
from kefu.core import audit
from kefu.core.crypto import mask_phone
from kefu.core.errors import Invalid
from kefu.customers.queries import archive as customer_queries
from kefu.customers.queries import masks as customer_masks
from kefu.knowledge.actions import record_use
from kefu.knowledge.queries import articles_used_in, suggest
from kefu.org import access
from kefu.org.forms import DateInput
from kefu.web.forms import BoundedDateField
from kefu.web.support import CappedPaginator, actor, attempt, denied, render_list, web_view

BLANK = [("", "—")]


MINE, ALL = "mine", "all"


class QueueFilterForm(forms.Form):
    view = forms.ChoiceField(
        label=_l("Show"),
        required=False,
        choices=[(MINE, _l("My cases and my groups' queue")), (ALL, _l("All cases I may see"))],
    )
    q = forms.CharField(
        label=_l("Search"),
        required=False,
        max_length=100,
        help_text=_l("Number, title, description, customer or full phone number; every state"),
    )
    kind = forms.ChoiceField(label=_l("Kind"), required=False)
    state = forms.ChoiceField(label=_l("State"), required=False, choices=BLANK + CaseState.choices)
    overdue = forms.ChoiceField(
        label=_l("Overdue"), required=False, choices=[("", "—"), ("1", _l("Yes")), ("0", _l("No"))]
    )
    channel = forms.ChoiceField(label=_l("Channel"), required=False, choices=BLANK + Channel.choices)
    received_from = BoundedDateField(label=_l("Received from"), required=False, widget=DateInput())
    received_to = BoundedDateField(label=_l("Received until"), required=False, widget=DateInput())

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = BLANK + [(k.code, k.name) for k in kinds]

    def filters(self) -> tuple[str, dict]:
        """(view, the filters of `queries.cases`); invalid input filters nothing."""
        if not self.is_valid():
            return MINE, {}
        data = self.cleaned_data
        return data["view"] or MINE, {
            "q": data["q"].strip(),
            "kind": data["kind"],
            "state": data["state"],
            "overdue": {"1": True, "0": False}.get(data["overdue"]),
            "received_from": data["received_from"],
            "received_to": data["received_to"],
        }


NEW_CASE_FIELDS = ("kind", "channel", "priority", "title", "description", "customer", "find")


CONTACT_FIELDS = ("name", "phone", "email")


def new_case_input(post, kinds) -> dict:
    """The new-case form as typed (kept on refusal): plain fields, the contact and the chosen kind's
    own fields (named `x-<kind>-<field>`)."""
    form = {name: post.get(name, "").strip() for name in NEW_CASE_FIELDS}
    form["contact"] = {name: post.get(f"contact_{name}", "").strip() for name in CONTACT_FIELDS}
    form["major"] = bool(post.get("major"))
    form["identity_verified"] = bool(post.get("identity_verified"))
    form["token"] = post.get("token", "")[:200]
    chosen = next((k for k in kinds if k.code == form["kind"]), None)
    form["extra"] = {}
    for kind in kinds:
        for spec in kind.fields or []:
            value = post.get(f"x-{kind.code}-{spec['name']}", "").strip()
            if kind is chosen and value:
                form["extra"][spec["name"]] = value
    form.setdefault("channel", Channel.PHONE)
    form["priority"] = form["priority"] or Priority.NORMAL
    return form


def satisfied_value(raw: str):
    """The satisfied select: "yes" / "no" / "" (not asked); "unreachable" is a source, not an answer."""
    return {"yes": True, "no": False}.get(raw)


# the inputs of a transition's small form, by the lifecycle's field name
TRANSITION_INPUTS = {
    "solution": ("textarea", _l("Solution")),
    "customer_reply": ("textarea", _l("What the customer is told")),
    "root_cause": ("textarea", _l("Root cause (CASE-7)")),
    "corrective_action": ("textarea", _l("Corrective action (CASE-7)")),
    "category": ("text", _l("Problem category")),
    "product": ("text", _l("Product or service")),
    "priority": ("priority", _l("Priority")),
    "owner": ("owner", _l("Owner")),
    "satisfied": ("satisfied", _l("Customer satisfied?")),
}


def transition_data(post, move) -> dict:
    """The submitted values of the transition's declared fields (unknown inputs are ignored)."""
    data = {}
    for name in move.fields:
        if name not in post or name == "owner":
            continue
        value = post.get(name, "")
        if name == "satisfied" and value == "unreachable":
            data["satisfaction_source"] = "unreachable"  # CASE-3: recorded as such, never as satisfied
            continue
        if name == "satisfied":
            value = satisfied_value(value)
            if value is None:
                continue
        data[name] = value
    return data


PER_PAGE = 30


FOUND_MAX = 10  # customers shown by the new-case search: enough to pick one, never a list to browse


@web_view
def queue(request):
    """我的工单: sorted by the next deadline; the clocks of the whole page in one query."""
    me = actor(request)
    if not access.can(me, "case.view"):
        return denied(request)
    employee = access.employee_of(me.principal)
    kinds = queries.kinds_for(employee.unit if employee else None)
    form = QueueFilterForm(request.GET or None, kinds=kinds)
    view, filters = form.filters()
    state = filters.pop("state", "")
    channel = request.GET.get("channel", "") if form.is_valid() else ""
    # open cases only unless a state is chosen — or a term is searched: a search finds closed cases too
    found = queries.cases(me, state=state, open_only=not state and not filters.get("q"), **filters)
    if view != ALL:
        found = found.none() if employee is None else queries.mine_and_queue(found, employee)
    if channel in Channel.values:
        found = found.filter(channel=channel)
    if filters.get("q") or (state and state not in OPEN_STATES):
        # a search's matches and finished cases newest first (they have no deadline left): the
        # newest-first index finds a common word's page at once
        found = found.order_by("-received_at", "-pk")
    else:  # open cases by their next deadline, walked in the order of cases_open_by_deadline (PostgreSQL)
        found = found.order_by(F("next_due_at").asc(nulls_last=True), "received_at", "pk")
    page = CappedPaginator(found, PER_PAGE).get_page(request.GET.get("page"))
    rows = blocks.mark_rows(list(page.object_list))
    for case in rows:
        case.masked_phone = mask_phone(case.contact_phone) if case.contact_phone else ""
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "may_create": access.can(me, "case.handle") and employee is not None,
        "open_states": OPEN_STATES,
    }
    return render_list(request, "cases/queue.html", "cases/_queue_rows.html", context)


def _found_customers(me, text: str) -> list:
    """SEC-2: customers within the caller's scope by exact phone (blind index) or name, masked."""
    if not text or not access.can(me, "customer.view"):
        return []
    rows = list(customer_queries.customers(me, q=text)[:FOUND_MAX])
    for customer in rows:
        customer.masked_phone = customer_masks.masked_phone(customer)
    return rows


def _new_context(me, employee, form: dict, error=None) -> dict:
    kinds = queries.kinds_for_new(employee.unit)
    return {
        "form": form,
        "error": error,
        "kinds": kinds,
        "channels": Channel.choices,
        "priorities": blocks.PRIORITIES,
        "found": _found_customers(me, form.get("find", "")),
        "chosen": _chosen_customer(me, form.get("customer", "")),
    }


def _chosen_customer(me, raw: str):
    if not raw:
        return None
    found = customer_queries.customer(me, raw)  # outside the caller's scope: 404
    found.masked_phone = customer_masks.masked_phone(found)
    return found


@require_http_methods(["GET", "POST"])
@web_view
def new_case(request):
    """CASE-1/2: receive a case; the customer is searched (masked) or typed in as a new contact."""
    me = actor(request)
    employee = access.employee_of(me.principal)
    if not access.can(me, "case.handle") or employee is None:
        return denied(request)
    if request.method == "GET":
        form = {
            "find": request.GET.get("find", "").strip()[:100],
            "customer": request.GET.get("customer", "").strip(),
            "channel": Channel.PHONE,
            "priority": Priority.NORMAL,
            "contact": {},
            "extra": {},
            "token": secrets.token_urlsafe(16),  # one submission, one case (a double click makes none more)
        }
        return render(request, "cases/new.html", _new_context(me, employee, form))
    kinds = queries.kinds_for_new(employee.unit)
    form = new_case_input(request.POST, kinds)

    def run():
        chosen = _chosen_customer(me, form["customer"])
        if chosen is None and not any(form["contact"].values()):
            raise Invalid(
                "case_contact_required",
                "请选择已有客户或填写联系人（姓名、电话或邮箱）",
                "Choose a customer or type the contact (name, phone or e-mail)",
                {"contact": "required"},
            )
        case, _created = intake.create_case(
            me,
            unit=employee.unit,
            kind=form["kind"],
            channel=form["channel"],
            title=form["title"],
            description=form["description"],
            priority=form["priority"],
            customer=chosen,
            contact=form["contact"],
            extra=form["extra"],
            major=form["major"],
            identity_verified=form["identity_verified"],
            idempotency_key=form["token"],
            idempotency_scope=f"web:{request.user.pk}",
        )
        return case

    return attempt(
        request,
        run,
        success=_("Case received."),
        then=lambda case: case.get_absolute_url(),
        page=lambda error: ("cases/new.html", _new_context(me, employee, form, error)),
    )


SUGGESTED = 5  # articles suggested on a case page


def _transitions(me, case) -> list[dict]:
    """The transitions of the current state the caller may make, each with its form's inputs."""
    moves = []
    for move in lifecycle.CASE.available(case.state):
        if move.name == "answer" and case.family == Family.COMPLAINT:
            continue  # never offered: a complaint is investigated and answered with a solution (CASE-3)
        if move.name == "route":  # routing names an available owner: the supervisor's assign (ROUTE-1)
            allowed = access.record_in_scope(me, "case.manage", unit=case.unit, owner_id=case.owner_id)
        else:
            allowed = access.record_in_scope(me, move.permission, unit=case.unit, owner_id=case.owner_id)
        if not allowed:
            continue
        names = list(dict.fromkeys((*move.required, *move.fields)))
        inputs = [
            {
                "name": n,
                "type": TRANSITION_INPUTS[n][0],
                "label": TRANSITION_INPUTS[n][1],
                "required": n in move.required,
            }
            for n in names
            if n in TRANSITION_INPUTS
        ]
        refusal = move.guard(case, {}) if move.guard else None  # told before trying; the action decides
        moves.append(
            {
                "name": move.name,
                "label": queries.in_language(move.label_zh, move.label_en),
                "inputs": inputs,
                "reason_required": move.name == "reopen",
                "hint": queries.in_language(*refusal) if refusal else "",
            }
        )
    for index, move in enumerate(moves, start=1):
        move["key"] = index if index < 10 else None
    return moves


def _customer_panel(me, case, *, full: bool) -> dict:
    """SEC-2: masked unless the reader holds customer.view_full and asked for it; that read is audited."""
    may_full = queries.may_see_contact(me, case)
    shown = queries.contact_shown(me, case, reveal=full and may_full)
    if full and may_full and (case.contact_phone or case.contact_email):
        audit.record_read(
            me,
            case,
            fields=["contact_phone", "contact_email"],
            purpose="工单页：显示完整联系方式 / case page: show full",
        )
    archive = None
    if case.customer_id and access.can(me, "customer.view"):
        archive = (
            customer_queries.customers(me).filter(pk=case.customer_id).values_list("pk", flat=True).first()
        )
    return {"shown": shown, "may_full": may_full, "archive": archive}


def _suggestions(me, case) -> tuple[list, list]:
    if not access.can(me, "kb.view"):
        return [], []
    text = f"{case.title} {case.description}"
    return suggest(me, text=text, kind_code=case.family, limit=SUGGESTED), list(articles_used_in(case))


def extra_fields(case) -> list[tuple[str, object]]:
    """The values of the kind's own fields, each under the label the kind gives it (not its name)."""
    labels = {spec.get("name"): spec.get("label") for spec in case.kind.fields or []}
    return [(labels.get(name) or name, value) for name, value in (case.extra or {}).items()]


def case_context(me, case, *, full: bool = False, **extra) -> dict:
    escalated = queries.escalations(case)
    suggested, used = _suggestions(me, case)
    groups, people = routing_queries.transfer_targets(case)
    handle = access.record_in_scope(me, "case.handle", unit=case.unit, owner_id=case.owner_id)
    employee = access.employee_of(me.principal)
    is_owner = employee is not None and employee.pk == case.owner_id
    manage = access.record_in_scope(me, "case.manage", unit=case.unit, owner_id=case.owner_id)
    clocks, clock_history = blocks.all_clocks(case)
    context = {
        "case": case,
        "clocks": clocks,
        "clock_history": clock_history,
        "fallback_years": blocks.fallback_years(clocks),
        "escalations": escalated,
        "timeline": queries.timeline(case, escalated),
        "customer": _customer_panel(me, case, full=full),
        "transitions": _transitions(me, case),
        "may_comment": access.record_in_scope(me, "case.comment", unit=case.unit, owner_id=case.owner_id),
        "may_attach": access.may_write(me, "case.comment", unit=case.unit, owner_id=case.owner_id),
        "may_use_article": bool(access.write_grants(me, "kb.view")),  # a write: not for 督导 (ORG-4)
        "may_reply": handle,
        "may_escalate": handle,
        # CASE-6: the owner or a supervisor moves a case that is still open
        "may_transfer": case.state not in queries.CLOSED_STATES and (manage or (is_owner and handle)),
        "groups": groups,
        "people": people,
        "levels": list(enumerate(lifecycle.CHAIN.levels, start=1)),
        "triggers": [(code, zh, en) for code, (_, zh, en, *_rest) in triggers.TRIGGERS.items()],
        "attachments": list(case.attachments.select_related("uploaded_by__employee")),
        "max_size_mb": actions_attachments.max_size(case) // (1024 * 1024),
        "allowed_types": ", ".join(sorted(actions_attachments.ALLOWED)),
        "extra_fields": extra_fields(case),
        "suggested": suggested,
        "used": used,
        "used_ids": {a.pk for a in used},
        "priorities": blocks.PRIORITIES,
        "priority": dict(blocks.PRIORITIES).get(case.priority, case.priority),
        "owners": people,
        "form": {},
        "open_form": "",
        "links": links.for_case(me, case),  # other apps' links for this viewer (EMG-5: 升级为突发事件)
    }
    context.update(extra)
    # the handling forms are folded; open when one of them was refused or a link asks for them
    opened = str(context["open_form"])
    context["open_handling"] = context.get("open_handling") or opened.startswith(HANDLING_FORMS)
    # CASE-4: a refused close of a complaint without its report links to the report
    context["needs_report"] = (
        case.family == Family.COMPLAINT and not ClosureReport.objects.filter(case=case).exists()
    )
    return context


# the forms folded under "处理表单" on the case page (CASE-4, CASE-5, CASE-7, CASE-8)
HANDLING_FORMS = ("closure-report", "compensation", "staff-caused", "verify", "root-cause", "handoff")


@web_view
def case_page(request, pk: int):
    me = actor(request)
    case = queries.case(me, pk)
    context = case_context(
        me, case, full=request.GET.get("full") == "1", open_handling=request.GET.get("open") == "handling"
    )
    return render(request, "cases/case.html", context)


def post_form(request, pk, run, *, success: str, form_name: str, form: dict):
    """Carry out one of the page's forms; a refusal re-renders the page with that form open."""
    me = actor(request)
    case = queries.case(me, pk)
    return attempt(
        request,
        lambda: run(me, case),
        success=success,
        then=case.get_absolute_url(),
        page=lambda error: (
            "cases/case.html",
            case_context(me, queries.case(me, pk), form=form, open_form=form_name, error=error),
        ),
    )


@require_POST
@web_view
def transition(request, pk: int, name: str):
    """CASE-3: one declared transition with its small form's fields."""
    move = lifecycle.CASE.transition(name)
    if move is None:
        raise Http404(name)
    form = {k: request.POST.get(k, "") for k in ("reason", *move.required, *move.fields)}

    def run(me, case):
        if name == "route":
            raw = request.POST.get("owner", "")
            owner = routing_queries.person_named(raw, "owner") if raw else None
            return actions_routing.assign(me, case, owner)
        data = transition_data(request.POST, move)
        return intake.act(me, case, name, data=data, reason=form["reason"])

    label = queries.in_language(move.label_zh, move.label_en)
    return post_form(
        request,
        pk,
        run,
        success=_("Done: %(name)s") % {"name": label},
        form_name=f"transition-{name}",
        form=form,
    )


@require_POST
@web_view
def comment(request, pk: int):
    form = {"body": request.POST.get("body", ""), "public": bool(request.POST.get("public"))}

    def run(me, case):
        return action_blocks.comment(me, case, form["body"], public=form["public"])

    success = _("Reply recorded.") if form["public"] else _("Note added.")
    return post_form(request, pk, run, success=success, form_name="comment", form=form)


@require_POST
@web_view
def verify(request, pk: int):
    """CASE-2 "先核实客户身份"."""
    return post_form(
        request,
        pk,
        lambda me, case: intake.verify_identity(me, case),
        success=_("Identity verified."),
        form_name="verify",
        form={},
    )


@require_POST
@web_view
def use_article(request, pk: int, article: int):
    """KB-1: the article was used in this case."""
    return post_form(
        request,
        pk,
        lambda me, case: record_use(me, article, case),
        success=_("Recorded: article used in this case."),
        form_name="articles",
        form={},
    )


urlpatterns = [
    path("cases/", queue, name="queue"),
    path("cases/new/", new_case, name="new"),
    path("cases/<int:pk>/", case_page, name="case"),
    path("cases/<int:pk>/transitions/<slug:name>/", transition, name="transition"),
    path("cases/<int:pk>/comment/", comment, name="comment"),
    path("cases/<int:pk>/verify/", verify, name="verify"),
    path("cases/<int:pk>/articles/<int:article>/use/", use_article, name="use_article"),
]
