"""回访活动 and 《回访总结报告》 pages (FUP-1): the campaigns of the subsidiaries in scope, a campaign's
report (page, Excel, printable PDF) with its launch, and the month report of every revisit."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.core import clock
from kefu.core.errors import DomainError
from kefu.followups import reports
from kefu.followups.actions import campaigns as actions
from kefu.followups.queries import campaigns as queries
from kefu.followups.views.forms import CampaignForm, MonthForm
from kefu.org import access
from kefu.web.support import actor, apply_error, attempt, denied, web_view

VIEW, CONFIGURE = "revisit.view", "revisit.configure"


def revisit_nav(me) -> dict:
    """Which entries of the revisit pages' sub-navigation the caller may open (no dead links)."""
    may_view = access.can(me, VIEW)
    return {
        "nav_queue": access.can(me, "revisit.handle"),
        "nav_campaigns": may_view,
        "nav_month": may_view and queries.report_units(me).exists(),
        "nav_plans": may_view,
    }


def _file(report, kind: str, name: str) -> HttpResponse:
    body, mime, ext = (
        (reports.workbook(report), reports.XLSX, "xlsx")
        if kind == "xlsx"
        else (reports.pdf(report), reports.PDF, "pdf")
    )
    response = HttpResponse(body, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{name}.{ext}"'
    return response


def _units(me):
    units = queries.report_units(me)
    return units.filter(
        pk__in=[u.pk for u in units if access.may_write(me, CONFIGURE, unit=u, owner_id=None)]
    )


@web_view
def campaigns(request):
    """回访活动: the campaigns in scope, newest first, and (for whoever configures revisits) a new one."""
    me = actor(request)
    if not access.can(me, VIEW):
        return denied(request)
    units = _units(me)
    may_create = units.exists()
    form = CampaignForm(request.POST or None, units=units)
    context = {
        "rows": list(queries.campaigns(me)[:200]),
        "form": form,
        "may_create": may_create,
        **revisit_nav(me),
    }
    if request.method == "POST":
        if not may_create:
            return denied(request)
        if not form.is_valid():
            form.add_error(None, _("Please check the marked fields."))
            return render(request, "followups/campaigns.html", context, status=400)
        data = form.cleaned_data

        def page(error: DomainError):
            apply_error(form, error)
            return "followups/campaigns.html", context

        return attempt(
            request,
            lambda: actions.create_campaign(
                me,
                data["unit"],
                name=data["name"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                rule=form.rule(),
                every_months=data["every_months"],
            ),
            success=_("The revisit campaign was planned."),
            then=lambda campaign: reverse("followups:campaign", args=[campaign.pk]),
            page=page,
        )
    return render(request, "followups/campaigns.html", context)


@web_view
def campaign(request, pk):
    """One campaign's 《回访总结报告》; `?format=xlsx` or `pdf` gives the file; POST launches it."""
    me = actor(request)
    found = queries.campaign(me, pk)
    if request.method == "POST":
        return attempt(
            request,
            lambda: actions.launch(me, found),
            success=_("The campaign was launched: its revisits are in the officers' queues."),
            then=reverse("followups:campaign", args=[found.pk]),
            page=lambda error: (
                "followups/campaign.html",
                {**_campaign_context(me, found), "error": error.message},
            ),
        )
    report = queries.campaign_report(me, found)
    kind = request.GET.get("format")
    if kind in ("xlsx", "pdf"):
        return _file(report, kind, f"revisit-report-campaign-{found.pk}")
    return render(request, "followups/campaign.html", _campaign_context(me, found, report))


def _campaign_context(me, found, report=None) -> dict:
    return {
        **revisit_nav(me),
        "campaign": found,
        "report": report or queries.campaign_report(me, found),
        "may_launch": found.state != "launched"
        and access.may_write(me, CONFIGURE, unit=found.unit, owner_id=None),
    }


@web_view
def month(request):
    """The month's 《回访总结报告》 of a subsidiary: every revisit opened in the month (plans and
    campaigns); `format=xlsx` or `pdf` gives the file."""
    me = actor(request)
    if not access.can(me, VIEW):
        return denied(request)
    units = queries.report_units(me)
    if not units:
        return denied(request)
    choices = type(units[0]).objects.filter(pk__in=[u.pk for u in units])
    today = clock.today()
    form = MonthForm(
        request.GET or None, units=choices, initial={"unit": units[0].pk, "month": f"{today:%Y-%m}"}
    )
    unit, (year, number) = units[0], (today.year, today.month)
    if form.is_bound and form.is_valid():
        unit = form.cleaned_data["unit"]
        year, number = form.cleaned_data["month"] or (year, number)
    report = queries.month_report(me, unit, year, number)
    kind = request.GET.get("format")
    if kind in ("xlsx", "pdf") and (not form.is_bound or form.is_valid()):
        return _file(report, kind, f"revisit-report-{year}-{number:02d}")
    query = request.GET.copy()
    query.pop("format", None)
    query.setdefault("unit", str(unit.pk))
    query.setdefault("month", f"{year}-{number:02d}")
    context = {"form": form, "report": report, "query": query.urlencode(), **revisit_nav(me)}
    return render(
        request, "followups/month.html", context, status=200 if not form.is_bound or form.is_valid() else 400
    )
