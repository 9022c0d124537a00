"""Work report pages (RPT-1): 我的工作日报 (today's draft from the records, edit, submit, history; the
week's and month's summaries alike), one report, the manager's team view (submitted / late / missing)
and the monthly service report with its rectification items, printable and as Excel."""

from datetime import date

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.core import clock
from kefu.core.errors import DomainError
from kefu.insights.actions import reports as actions
from kefu.insights.exports import reports as exports
from kefu.insights.models import LineKind, Period, RectificationState, ReportState
from kefu.insights.queries import reports as queries
from kefu.org import access
from kefu.org.models import Employee, Unit
from kefu.web.support import actor, apply_error, attempt, web_view

PAGES = {
    LineKind.RECEIVED: "cases:case",
    LineKind.HANDLED: "cases:case",
    LineKind.CLOSED: "cases:case",
    LineKind.CARRIED: "cases:case",
    LineKind.REVISIT: "followups:task",
    LineKind.CONTACT: "customers:detail",
    LineKind.REPORT: "insights:report",
}
STATUS = {
    "on_time": gettext_lazy("Submitted on time"),
    "late": gettext_lazy("Submitted late"),
    "draft": gettext_lazy("Not yet due"),
    "missing": gettext_lazy("Overdue: not submitted"),
    "none": gettext_lazy("No report"),
}
SECTION = {
    Period.DAY: (gettext_lazy("Today's work"), gettext_lazy("Tomorrow's plan")),
    Period.WEEK: (gettext_lazy("This week's work"), gettext_lazy("Next week's plan")),
    Period.MONTH: (gettext_lazy("This month's work"), gettext_lazy("Next month's plan")),
}


class ReportForm(forms.Form):
    work = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    problems = forms.CharField(
        label=gettext_lazy("Problems and suggestions"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    plan = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, period=Period.DAY, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work"].label, self.fields["plan"].label = SECTION[period]


def _period(request) -> str:
    value = request.GET.get("period", Period.DAY)
    return value if value in Period.values else Period.DAY


def _day(request) -> date:
    try:
        return date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return clock.today()


def _lines(report) -> list:
    rows = list(queries.lines(report))
    for row in rows:
        row.link = reverse(PAGES[row.kind], args=[row.object_id])
    return rows


def _report_page(request, me, report, *, form=None, status=200):
    employee = access.employee_of(me.principal)
    editable = (
        report.state == ReportState.DRAFT and employee is not None and employee.pk == report.employee_id
    )
    context = {
        "report": report,
        "lines": _lines(report),
        "form": form
        or ReportForm(
            initial={"work": report.work, "problems": report.problems, "plan": report.plan},
            period=report.period,
        ),
        "editable": editable,
        "sections": SECTION[report.period],
        "history": list(
            queries.reports(me).filter(employee_id=report.employee_id, period=report.period)[:30]
        ),
        "periods": Period.choices,
        "overdue": report.state == ReportState.DRAFT and report.due_at <= clock.now(),
    }
    return render(request, "insights/report.html", context, status=status)


def _post(request, me, report):
    form = ReportForm(request.POST, period=report.period)
    if not form.is_valid():
        form.add_error(None, _("Please check the marked fields."))
        return _report_page(request, me, report, form=form, status=400)
    data = form.cleaned_data
    submit = request.POST.get("what") == "submit"
    run = actions.submit if submit else actions.save

    def page(error: DomainError):
        apply_error(form, error)
        return "insights/report.html", {
            "report": report,
            "lines": _lines(report),
            "form": form,
            "editable": True,
            "sections": SECTION[report.period],
            "history": [],
            "periods": Period.choices,
        }

    return attempt(
        request,
        lambda: run(me, report, work=data["work"], problems=data["problems"], plan=data["plan"]),
        success=_("The report was submitted.") if submit else _("The draft was saved."),
        then=reverse("insights:report", args=[report.pk]),
        page=page,
    )


@web_view
def mine(request):
    """我的工作日报: the period's report drafted (or refreshed) from the records as it is opened."""
    me = actor(request)
    report = actions.open_mine(me, _period(request), _day(request))
    if request.method == "POST":
        return _post(request, me, report)
    return _report_page(request, me, report)


@web_view
def report(request, pk: int):
    me = actor(request)
    found = queries.report(me, pk)
    if request.method == "POST":
        return _post(request, me, found)
    return _report_page(request, me, found)


def _sheet(request, me):
    access.require(me, queries.REVIEW)
    sheet = queries.team_sheet(me, _period(request), _day(request))
    for row in sheet.rows:
        row.label = STATUS[row.status]
    return sheet


@web_view
def team(request):
    me = actor(request)
    sheet = _sheet(request, me)
    context = {
        "sheet": sheet,
        "rows": sheet.rows,
        "period": sheet.period,
        "periods": Period.choices,
        "day": sheet.day,
        "starts_on": sheet.starts_on,
        "ends_on": sheet.ends_on,
        "counts": sheet.counts,
        "status": STATUS,
    }
    return render(request, "insights/report_team.html", context)


def _download(content: bytes, kind: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@web_view
def report_pdf(request, pk: int):
    """RPT-1: one work report, printable — scoped exactly like its page."""
    found = queries.report(actor(request), pk)
    return _download(exports.work_pdf(found), exports.PDF, exports.work_filename(found, "pdf"))


@web_view
def report_xlsx(request, pk: int):
    found = queries.report(actor(request), pk)
    return _download(exports.work_workbook(found), exports.XLSX, exports.work_filename(found, "xlsx"))


@web_view
def team_pdf(request):
    """RPT-1: the team view of the period, printable (the same rows and counts as the page)."""
    sheet = _sheet(request, actor(request))
    return _download(exports.team_pdf(sheet), exports.PDF, exports.team_filename(sheet, "pdf"))


@web_view
def team_xlsx(request):
    sheet = _sheet(request, actor(request))
    return _download(exports.team_workbook(sheet), exports.XLSX, exports.team_filename(sheet, "xlsx"))


# ── the monthly service report ───────────────────────────────────────────────────────────────────


class ServiceReportForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Department"), queryset=Unit.objects.none())
    month = forms.DateField(
        label=gettext_lazy("Month"), widget=forms.DateInput(attrs={"type": "month"}), input_formats=["%Y-%m"]
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: u.name


class ServiceTextForm(forms.Form):
    summary = forms.CharField(
        label=gettext_lazy("Summary of the month"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    problems = forms.CharField(
        label=gettext_lazy("Problems found"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class ItemForm(forms.Form):
    problem = forms.CharField(label=gettext_lazy("Problem to rectify"), max_length=300)
    measure = forms.CharField(
        label=gettext_lazy("Rectification measure"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.ModelChoiceField(label=gettext_lazy("Owner"), queryset=Employee.objects.none())
    due_on = forms.DateField(label=gettext_lazy("Due on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        self.fields["owner"].label_from_instance = lambda e: e.name


@web_view
def service_reports(request):
    me = actor(request)
    access.require(me, queries.REVIEW)
    units = queries.managed_units(me)
    form = ServiceReportForm(request.POST or None, units=units)
    context = {"rows": list(queries.service_reports(me)[:60]), "form": form, "may_create": units.exists()}
    if request.method == "POST":
        if not form.is_valid():
            form.add_error(None, _("Please check the marked fields."))
            return render(request, "insights/report_services.html", context, status=400)

        def page(error: DomainError):
            apply_error(form, error)
            return "insights/report_services.html", context

        data = form.cleaned_data
        return attempt(
            request,
            lambda: actions.create_service_report(me, data["unit"], data["month"]),
            success=_("The service report was started."),
            then=lambda r: reverse("insights:service_report", args=[r.pk]),
            page=page,
        )
    return render(request, "insights/report_services.html", context)


def _service_context(me, found, *, text_form=None, item_form=None) -> dict:
    may_manage = access.may_write(me, queries.MANAGE, unit=found.unit, owner_id=None)
    employee = access.employee_of(me.principal)
    people = Employee.objects.filter(unit__path__startswith=found.unit.path, status="active").order_by(
        "number"
    )
    items = list(queries.items(found))
    for item in items:
        item.overdue = bool(item.overdue_flagged_at) and item.state == RectificationState.OPEN
        mine = employee is not None and employee.pk == item.owner_id
        item.steps = []
        if item.state == RectificationState.OPEN and (may_manage or mine):
            item.steps.append(("done", _("Mark rectified")))
        if item.state == RectificationState.DONE and may_manage and not mine:
            item.steps += [("verified", _("Verify")), ("open", _("Send back"))]
    return {
        "report": found,
        "figures": queries.labelled_figures(found),
        "items": items,
        "may_manage": may_manage,
        "text_form": text_form
        or ServiceTextForm(initial={"summary": found.summary, "problems": found.problems}),
        "item_form": item_form or ItemForm(people=people),
        "people": people,
    }


@web_view
def service_report(request, pk: int):
    me = actor(request)
    found = queries.service_report(me, pk)
    if request.method != "POST":
        return render(request, "insights/report_service.html", _service_context(me, found))
    what = request.POST.get("what")
    then = reverse("insights:service_report", args=[found.pk])
    if what == "advance":
        item = queries.item(me, int(request.POST.get("item") or 0))
        to = request.POST.get("to", "")

        def step_page(error: DomainError):
            return "insights/report_service.html", {**_service_context(me, found), "error": error.message}

        return attempt(
            request,
            lambda: actions.advance_item(me, item, to),
            success=_("Saved."),
            then=then,
            page=step_page,
        )
    if what == "item":
        people = Employee.objects.filter(unit__path__startswith=found.unit.path, status="active")
        form = ItemForm(request.POST, people=people)
        if not form.is_valid():
            form.add_error(None, _("Please check the marked fields."))
            return render(
                request,
                "insights/report_service.html",
                _service_context(me, found, item_form=form),
                status=400,
            )
        data = form.cleaned_data

        def item_page(error: DomainError):
            apply_error(form, error)
            return "insights/report_service.html", _service_context(me, found, item_form=form)

        return attempt(
            request,
            lambda: actions.add_item(
                me,
                found,
                problem=data["problem"],
                measure=data["measure"],
                owner=data["owner"],
                due_on=data["due_on"],
            ),
            success=_("The rectification item was added."),
            then=then,
            page=item_page,
        )
    form = ServiceTextForm(request.POST)
    form.is_valid()
    data = form.cleaned_data

    def text_page(error: DomainError):
        apply_error(form, error)
        return "insights/report_service.html", _service_context(me, found, text_form=form)

    def save_and_sign():
        report = actions.update_service_report(
            me, found, summary=data.get("summary"), problems=data.get("problems")
        )
        return actions.sign_service_report(me, report) if what == "sign" else report

    return attempt(
        request,
        save_and_sign,
        success=_("The report was signed off.") if what == "sign" else _("Saved."),
        then=then,
        page=text_page,
    )


@web_view
def service_pdf(request, pk: int):
    found = queries.service_report(actor(request), pk)
    response = HttpResponse(exports.pdf(found), content_type=exports.PDF)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(found, "pdf")}"'
    return response


@web_view
def service_xlsx(request, pk: int):
    found = queries.service_report(actor(request), pk)
    response = HttpResponse(exports.workbook(found), content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(found, "xlsx")}"'
    return response


urlpatterns = [
    path("reports/mine/", mine, name="reports_mine"),
    path("reports/team/", team, name="reports_team"),
    path("reports/<int:pk>/", report, name="report"),
    path("reports/<int:pk>/report.pdf", report_pdf, name="report_pdf"),
    path("reports/<int:pk>/report.xlsx", report_xlsx, name="report_xlsx"),
    path("reports/team/team.pdf", team_pdf, name="reports_team_pdf"),
    path("reports/team/team.xlsx", team_xlsx, name="reports_team_xlsx"),
    path("reports/service/", service_reports, name="service_reports"),
    path("reports/service/<int:pk>/", service_report, name="service_report"),
    path("reports/service/<int:pk>/report.pdf", service_pdf, name="service_report_pdf"),
    path("reports/service/<int:pk>/report.xlsx", service_xlsx, name="service_report_xlsx"),
]
