"""《客户信息登录申请审批表》 pages (CLM-12): the overview of the last working days per reporting unit
with missing days in red, and the form on which a unit's responsible person submits the day — its
new customers, or explicitly none — once."""

from datetime import date

from django.shortcuts import render
from django.utils.translation import gettext as _

from kefu.claims import actions
from kefu.claims.queries import daily as queries
from kefu.claims.queries.daily import OVERVIEW_DAYS, OVERVIEW_DAYS_MAX
from kefu.core import clock
from kefu.core.errors import Invalid
from kefu.web.support import actor, attempt, denied, web_view

CUSTOMER_ROWS = 3  # blank rows the form offers before its script adds more (a page layout choice)


def _days(value: str) -> int:
    return min(max(int(value), 1), OVERVIEW_DAYS_MAX) if value.isdigit() and len(value) < 4 else OVERVIEW_DAYS


@web_view
def daily(request):
    me = actor(request)
    dates, rows = queries.daily_overview(me, _days(request.GET.get("days", "")))
    submittable = queries.submittable_units(me)
    if not rows:
        return denied(request)
    context = {
        "dates": dates,
        "rows": rows,
        "today": clock.today(),
        "may_submit": bool(submittable),
        "clause": actions.REPORTING_CLAUSE,
    }
    return render(request, "claims/daily.html", context)


def _customer_rows(pairs: list[tuple[str, str]]) -> list[dict]:
    rows = [{"name": n, "phone": p} for n, p in pairs]
    return rows + [{"name": "", "phone": ""}] * max(CUSTOMER_ROWS - len(rows), 1)


def _form_page(units, form: dict, error=None):
    return "claims/daily_submit.html", {
        "units": units,
        "form": form,
        "error": error,
        "clause": actions.REPORTING_CLAUSE,
    }


def _day(value: str) -> date:
    if not value.strip():
        return clock.today()
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise Invalid("claim_daily_day", "日期无效", "Invalid date", {"day": "date"}) from None


@web_view
def daily_submit(request):
    me = actor(request)
    units = queries.submittable_units(me)
    if not units:
        return denied(request)
    today = clock.today()
    if request.method != "POST":
        form = {"unit": str(units[0].pk), "day": today.isoformat(), "rows": _customer_rows([])}
        template, context = _form_page(units, form)
        return render(request, template, context)
    post = request.POST
    pairs = [
        (n.strip(), p.strip())
        for n, p in zip(post.getlist("customer_name"), post.getlist("customer_phone"), strict=False)
        if n.strip() or p.strip()
    ]
    form = {
        "unit": post.get("unit", ""),
        "day": post.get("day", ""),
        "none_today": bool(post.get("none_today")),
        "rows": _customer_rows(pairs),
    }

    def run():
        unit_id = form["unit"].strip()
        return actions.submit_daily(
            me,
            unit=queries.reporting_unit(int(unit_id) if unit_id.isdigit() else 0),
            day=_day(form["day"]),
            customers=[{"name": n, "phone": p} for n, p in pairs],
            none_today=form["none_today"],
        )

    return attempt(
        request,
        run,
        success=_("Submitted."),
        then="/claims/daily/",
        page=lambda error: _form_page(units, form, error),
    )
