"""The case page of the workbench and its forms: transitions as buttons (CASE-3), comments and replies,
transfers with a reason (CASE-6), escalation (ESC-1), attachments with size/type limits, suggested
knowledge articles (KB-1), the clocks (SLA-2) and the "为什么" panel. Every form re-renders the page
with the input kept and the refusal in Chinese and English."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.cases import lifecycle, triggers
from kefu.cases.actions import attachments as actions_attachments
from kefu.cases.actions import blocks, intake
from kefu.cases.actions import routing as actions_routing
from kefu.cases.forms_workbench import TRANSITION_INPUTS, transition_data
from kefu.cases.queries import intake as queries
from kefu.cases.queries import routing as routing_queries
from kefu.core import audit, sealed
from kefu.core.errors import Invalid
from kefu.customers.queries import customers
from kefu.knowledge.actions import record_use
from kefu.knowledge.queries import articles_used_in, suggest
from kefu.org import access
from kefu.org.models import Employee
from kefu.web.support import actor, attempt, web_view

SUGGESTED = 5  # articles suggested on a case page


def _transitions(me, case) -> list[dict]:
    """The transitions of the current state the caller may make, each with its form's inputs."""
    moves = []
    for move in lifecycle.CASE.available(case.state):
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
        audit.record_read(me, case, fields=["contact_phone", "contact_email"], purpose="case page: show full")
    archive = None
    if case.customer_id and access.can(me, "customer.view"):
        archive = customers(me).filter(pk=case.customer_id).values_list("pk", flat=True).first()
    return {"shown": shown, "may_full": may_full, "archive": archive}


def _suggestions(me, case) -> tuple[list, list]:
    if not access.can(me, "kb.view"):
        return [], []
    text = f"{case.title} {case.description}"
    return suggest(me, text=text, kind_code=case.family, limit=SUGGESTED), list(articles_used_in(case))


def case_context(me, case, *, full: bool = False, **extra) -> dict:
    escalated = queries.escalations(case)
    suggested, used = _suggestions(me, case)
    groups, people = routing_queries.transfer_targets(case)
    handle = access.record_in_scope(me, "case.handle", unit=case.unit, owner_id=case.owner_id)
    employee = access.employee_of(me.principal)
    is_owner = employee is not None and employee.pk == case.owner_id
    manage = access.record_in_scope(me, "case.manage", unit=case.unit, owner_id=case.owner_id)
    context = {
        "case": case,
        "clocks": queries.all_clocks(case),
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
        "suggested": suggested,
        "used": used,
        "used_ids": {a.pk for a in used},
        "priorities": queries.PRIORITIES,
        "priority": dict(queries.PRIORITIES).get(case.priority, case.priority),
        "owners": people,
        "form": {},
        "open_form": "",
    }
    context.update(extra)
    return context


@web_view
def case_page(request, pk: int):
    me = actor(request)
    case = queries.case(me, pk)
    return render(request, "cases/case.html", case_context(me, case, full=request.GET.get("full") == "1"))


def _post(request, pk, run, *, success: str, form_name: str, form: dict):
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
            owner = _employee(request.POST.get("owner", ""), "owner")
            return actions_routing.assign(me, case, owner)
        data = transition_data(request.POST, move)
        return intake.act(me, case, name, data=data, reason=form["reason"])

    label = queries.in_language(move.label_zh, move.label_en)
    return _post(
        request,
        pk,
        run,
        success=_("Done: %(name)s") % {"name": label},
        form_name=f"transition-{name}",
        form=form,
    )


def _employee(raw: str, field: str) -> Employee | None:
    return routing_queries.person_named(raw, field) if raw else None


@require_POST
@web_view
def comment(request, pk: int):
    form = {"body": request.POST.get("body", ""), "public": bool(request.POST.get("public"))}

    def run(me, case):
        return blocks.comment(me, case, form["body"], public=form["public"])

    success = _("Reply recorded.") if form["public"] else _("Note added.")
    return _post(request, pk, run, success=success, form_name="comment", form=form)


@require_POST
@web_view
def transfer(request, pk: int):
    """CASE-6: to a person or a skill group, always with a reason."""
    form = {k: request.POST.get(k, "") for k in ("reason", "to_owner", "to_group")}

    def run(me, case):
        group = routing_queries.group_named(form["to_group"], "to_group") if form["to_group"] else None
        owner = _employee(form["to_owner"], "to_owner")
        return actions_routing.transfer(me, case, reason=form["reason"], to_owner=owner, to_group=group)

    return _post(request, pk, run, success=_("Case transferred."), form_name="transfer", form=form)


@require_POST
@web_view
def escalate(request, pk: int):
    """ESC-1 by hand: one level up, or straight to a level in an emergency (the skipped are told)."""
    form = {
        "reason": request.POST.get("reason", ""),
        "emergency": bool(request.POST.get("emergency")),
        "level": request.POST.get("level", ""),
        "trigger": request.POST.get("trigger", ""),
    }

    def run(me, case):
        level = int(form["level"]) if form["level"].isdigit() else None  # skipping needs the emergency box
        return actions_routing.escalate(
            me,
            case,
            reason=form["reason"],
            emergency=form["emergency"],
            to_level=level,
            trigger=form["trigger"],
        )

    return _post(request, pk, run, success=_("Case escalated."), form_name="escalate", form=form)


@require_POST
@web_view
def verify(request, pk: int):
    """CASE-2 "先核实客户身份"."""
    return _post(
        request,
        pk,
        lambda me, case: intake.verify_identity(me, case),
        success=_("Identity verified."),
        form_name="verify",
        form={},
    )


@require_POST
@web_view
def attach(request, pk: int):
    upload = request.FILES.get("file")

    def run(me, case):
        if upload is None:
            raise Invalid("case_attachment_missing", "请选择文件", "Choose a file", {"file": "required"})
        return actions_attachments.attach(me, case, upload)

    return _post(request, pk, run, success=_("File attached."), form_name="attach", form={})


@web_view
def download(request, pk: int, attachment: int):
    """The file, audited (SEC-5); only for readers of the case."""
    me = actor(request)
    case = queries.case(me, pk)
    item = queries.attachment(case, attachment)
    actions_attachments.downloaded(me, item)
    response = FileResponse(sealed.open_stored(item.file), as_attachment=True, filename=item.name)
    response["Content-Type"] = item.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@web_view
def use_article(request, pk: int, article: int):
    """KB-1: the article was used in this case."""
    return _post(
        request,
        pk,
        lambda me, case: record_use(me, article, case),
        success=_("Recorded: article used in this case."),
        form_name="articles",
        form={},
    )
