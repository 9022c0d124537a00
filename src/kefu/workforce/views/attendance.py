"""考勤 pages (ATT-1): my one-tap clock-in/out and my days; a team's flags (late, absent, record
missing), its monthly sheet for HR (on the page and as Excel) and the time-clock import (preview,
errors in Chinese, all rows or none)."""

from io import BytesIO

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook

from kefu.core import clock
from kefu.core.errors import DomainError
from kefu.org import access
from kefu.web.support import actor, denied, web_view
from kefu.workforce.actions import attendance as actions
from kefu.workforce.queries import attendance as queries

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Time-clock sheet (Excel)"))


class MeetingForm(forms.Form):
    """ATT-1 每日例会: the day, when it started and ended, what it covered."""

    day = forms.DateField(label=gettext_lazy("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.TimeField(label=gettext_lazy("Started at"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=gettext_lazy("Ended at"), widget=forms.TimeInput(attrs={"type": "time"}))
    topics = forms.CharField(
        label=gettext_lazy("What the meeting covered"), widget=forms.Textarea(attrs={"rows": 3})
    )


class MonthForm(forms.Form):
    month = forms.RegexField(
        label=gettext_lazy("Month"),
        regex=r"^\d{4}-\d{2}$",
        required=False,
        widget=forms.TextInput(attrs={"type": "month"}),
    )

    def year_month(self):
        today = clock.today()
        value = self.cleaned_data.get("month") if self.is_valid() else ""
        if value:
            year, month = (int(p) for p in value.split("-"))
            if 1 <= month <= 12:
                return year, month
        return today.year, today.month


@web_view
def attendance(request):
    me = actor(request)
    employee = access.employee_of(me.principal)
    if request.method == "POST":
        try:
            record = actions.clock_tap(me)
        except DomainError as error:
            if error.status in (403, 404):
                raise
            messages.error(request, error.message)
        else:
            messages.success(request, _("Clocked out.") if record.clock_out else _("Clocked in."))
        return redirect("workforce:attendance")
    today = queries.today_of(employee) if employee else None
    context = {
        "employee": employee,
        "today": today,
        "shift": queries.my_shift_today(employee) if employee else None,
        "records": list(queries.my_records(employee)) if employee else [],
        "teams": list(queries.teams(me)) if access.can(me, queries.VIEW) else [],
    }
    return render(request, "workforce/attendance.html", context)


def _workbook(unit, year, month, rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = f"{year}-{month:02d}"
    sheet.append([f"{unit.name} {year}年{month}月考勤汇总"])
    sheet.append(["工号", "姓名", "排班班次", "出勤天数", "迟到次数", "迟到分钟", "缺勤次数", "缺少打卡"])
    for row in rows:
        e = row["employee"]
        sheet.append(
            [
                e.number,
                e.name,
                row["shifts"],
                row["present"],
                row["late"],
                row["late_minutes"],
                row["absent"],
                row["missing"],
            ]
        )
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@web_view
def team(request, pk: int):
    me = actor(request)
    if not access.can(me, queries.VIEW):
        return denied(request)
    unit = queries.team(me, pk)
    month_form = MonthForm(request.GET or None)
    year, month = month_form.year_month()
    if not month_form.is_bound or not month_form.is_valid() or not month_form.cleaned_data.get("month"):
        month_form = MonthForm(initial={"month": f"{year}-{month:02d}"})
    before = (year - 1, 12) if month == 1 else (year, month - 1)
    after = (year + 1, 1) if month == 12 else (year, month + 1)
    rows = queries.month_sheet(unit, year, month)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(_workbook(unit, year, month, rows), content_type=XLSX)
        response["Content-Disposition"] = (
            f'attachment; filename="attendance-{unit.pk}-{year}-{month:02d}.xlsx"'
        )
        return response
    may_import = access.can(me, actions.MANAGE)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {
        "unit": unit,
        "rows": rows,
        "year": year,
        "month": month,
        "month_form": month_form,
        "previous": f"{before[0]}-{before[1]:02d}",
        "next": f"{after[0]}-{after[1]:02d}",
        "flags": list(queries.flags(me, unit=unit, since=queries.month_bounds(year, month)[0])[:200]),
        "meetings": list(queries.meetings(unit, since=queries.month_bounds(year, month)[0])[:40]),
        "meeting_form": MeetingForm(initial={"day": clock.today()}),
        "form": form,
        "may_import": may_import,
        "preview": None,
        "errors": [],
        "xlsx": reverse("workforce:attendance_team", args=[unit.pk])
        + f"?month={year}-{month:02d}&format=xlsx",
    }
    if request.method == "POST":
        if not may_import:
            return denied(request)
        if not form.is_valid():
            form.add_error(None, _("Please check the marked fields."))
            return render(request, "workforce/attendance_team.html", context, status=400)
        try:
            book = load_workbook(form.cleaned_data["file"], data_only=True)
        except Exception:
            form.add_error("file", _("This file is not an Excel workbook (.xlsx)."))
            return render(request, "workforce/attendance_team.html", context, status=400)
        if request.POST.get("what") == "preview":
            context["preview"], context["errors"] = actions.parse_sheet(me, book)
            return render(request, "workforce/attendance_team.html", context)
        try:
            count = actions.import_sheet(me, book)
        except DomainError as error:
            if error.status in (403, 404):
                raise
            context["preview"], context["errors"] = actions.parse_sheet(me, book)
            form.add_error(None, error.message if not context["errors"] else _("Nothing was imported."))
            return render(request, "workforce/attendance_team.html", context, status=400)
        messages.success(request, _("%(count)s attendance rows were imported.") % {"count": count})
        return redirect("workforce:attendance_team", pk=unit.pk)
    return render(request, "workforce/attendance_team.html", context)


@web_view
def meeting(request, pk: int):
    """ATT-1: record the team's daily meeting (POST from the team page)."""
    me = actor(request)
    if request.method != "POST" or not access.can(me, actions.MANAGE):
        return denied(request)
    unit = queries.team(me, pk)
    form = MeetingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please check the marked fields."))
        return redirect("workforce:attendance_team", pk=unit.pk)
    data = form.cleaned_data
    try:
        held = actions.record_meeting(
            me, unit, day=data["day"], starts=data["starts"], ends=data["ends"], topics=data["topics"]
        )
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, error.message)
    else:
        if held.on_time:
            messages.success(request, _("Daily meeting recorded."))
        else:
            messages.warning(request, _("Daily meeting recorded; it did not keep to the set time."))
    return redirect("workforce:attendance_team", pk=unit.pk)
