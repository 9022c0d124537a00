"""`{% chart spec %}`: an ECharts chart, its table and its 导出 Excel link (see `kefu.web.charts`)."""

from django import template

register = template.Library()

SCRIPTS_SHOWN = "_kefu_chart_scripts"


@register.inclusion_tag("web/_chart.html", takes_context=True)
def chart(context, spec, *, table=True):
    """Render `spec` (a `kefu.web.charts.Chart`). The vendored ECharts and web/charts.js are added
    with the first chart of a page only (deferred, in order); `table=False` hides the table visually
    only (screen readers and the export keep it)."""
    request = context.get("request")
    first = request is not None and not getattr(request, SCRIPTS_SHOWN, False)
    if request is not None:
        setattr(request, SCRIPTS_SHOWN, True)
    return {
        "spec": spec,
        "option": spec.option(),
        "option_id": f"{spec.dom_id}-data",
        "scripts": first,
        "table": table,
    }
