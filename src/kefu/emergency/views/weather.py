"""天气简报 pages (WX-1): the bulletins of my scope, entering and importing forecasts (preview, then an
all-or-nothing import), and a bulletin with its three days — severe weather highlighted — and publishing."""

import base64

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.core.errors import DomainError, Invalid
from kefu.emergency.actions import weather as actions
from kefu.emergency.queries import resources as units
from kefu.emergency.queries import weather as queries
from kefu.org import access
from kefu.web.support import actor, web_view

MAX_FILE = 2 * 1024 * 1024


def _upload(request) -> tuple[str, bytes]:
    if "content" in request.POST:  # the confirmed preview carries the file back
        try:
            return request.POST.get("filename", "forecast.csv"), base64.b64decode(request.POST["content"])
        except ValueError:
            raise Invalid(
                "weather_file", "文件内容已损坏，请重新上传", "Broken upload", {"file": "broken"}
            ) from None
    upload = request.FILES.get("file")
    if upload is None:
        raise Invalid("weather_file_required", "请选择预报文件", "Choose a file", {"file": "required"})
    if upload.size > MAX_FILE:
        raise Invalid("weather_file_large", "文件不能超过 2 MB", "File too large", {"file": "too_large"})
    return upload.name, upload.read()


@web_view
def bulletins(request):
    me = actor(request)
    if not access.can(me, queries.PUBLISH):
        access.require(me, queries.VIEW)
    publish_units = units.units_for(me, queries.PUBLISH)
    context = {"rows": list(queries.bulletins(me)[:60]), "units": publish_units, "preview": None}
    if request.method == "POST":
        try:
            unit = units.unit_named(request.POST.get("unit"), "unit")
            if request.POST.get("form") == "forecast":
                actions.save_forecast(
                    me,
                    unit,
                    day=request.POST.get("day"),
                    locality=request.POST.get("locality"),
                    weather=request.POST.get("weather"),
                    temp_low=request.POST.get("temp_low"),
                    temp_high=request.POST.get("temp_high"),
                    wind=request.POST.get("wind"),
                    warning=request.POST.get("warning"),
                )
                messages.success(request, _("The forecast is saved."))
                return redirect(reverse("emergency:bulletins"))
            source = _upload(request)
            if request.POST.get("confirm") == "1":
                count = actions.import_rows(me, unit, source)
                messages.success(request, _("%(n)s forecast rows imported.") % {"n": count})
                return redirect(reverse("emergency:bulletins"))
            context["preview"] = actions.preview(me, unit, source)
            context["preview_unit"] = unit
            context["filename"] = source[0]
            context["content"] = base64.b64encode(source[1]).decode()
        except DomainError as error:
            if error.status in (403, 404):
                raise
            messages.error(request, error.message)
            return redirect(reverse("emergency:bulletins"))
    return render(request, "emergency/bulletins.html", context)


@web_view
def bulletin(request, pk: int):
    me = actor(request)
    found = queries.bulletin(me, pk)
    if request.method == "POST":
        try:
            actions.publish(me, found, note=request.POST.get("note", ""))
            messages.success(request, _("The bulletin is published to staff."))
        except DomainError as error:
            if error.status in (403, 404):
                raise
            messages.error(request, error.message)
        return redirect(reverse("emergency:bulletin", args=[found.pk]))
    context = {
        "bulletin": found,
        "forecasts": queries.forecasts_for(found),
        "may_publish": queries.may_publish(me, found),
        "severe_words": "、".join(queries.SEVERE_WORDS),
    }
    return render(request, "emergency/bulletin.html", context)
