"""回访方案 page (FUP-1): the revisit plans of the subsidiaries in scope — after resolution (kinds),
after every complaint, periodic by tier, arrival after shipment — and, for whoever configures
revisits there, the form that sets one."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.core.errors import DomainError
from kefu.customers.models import Tier
from kefu.followups.actions import plans as actions
from kefu.followups.queries import plans as queries
from kefu.followups.views.campaigns import revisit_nav
from kefu.followups.views.forms import PlanForm
from kefu.org import access
from kefu.web.support import actor, apply_error, attempt, denied, web_view

VIEW, CONFIGURE = "revisit.view", "revisit.configure"


@web_view
def plans(request):
    me = actor(request)
    if not access.can(me, VIEW):
        return denied(request)
    kinds = queries.kind_choices()
    names = dict(kinds)
    rows = list(queries.plans(me))
    for plan in rows:
        plan.kind_names = "、".join(names.get(code, code) for code in plan.kinds)
        plan.tier_name = Tier(plan.tier).label if plan.tier in Tier.values else ""
    units = (
        queries.subsidiaries(me, CONFIGURE) if access.can(me, CONFIGURE) else queries.subsidiaries(me).none()
    )
    form = PlanForm(request.POST or None, units=units, kinds=kinds)
    context = {"rows": rows, "form": form, "may_configure": units.exists(), **revisit_nav(me)}
    if request.method == "POST":
        if not context["may_configure"]:
            return denied(request)
        if not form.is_valid():
            form.add_error(None, _("Please check the marked fields."))
            return render(request, "followups/plans.html", context, status=400)
        data = form.cleaned_data

        def page(error: DomainError):
            apply_error(form, error)
            return "followups/plans.html", context

        return attempt(
            request,
            lambda: actions.set_plan(
                me,
                data["unit"],
                data["trigger"],
                kinds=data["kinds"],
                tier=data["tier"],
                active=data["active"],
            ),
            success=_("The revisit plan was saved."),
            then=reverse("followups:plans"),
            page=page,
        )
    return render(request, "followups/plans.html", context)
