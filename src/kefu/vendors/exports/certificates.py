"""The filing certificate (VEN-1, "备案证书是外包公司或机构合法从事客服外包业务的凭证") printed as PDF
(`kefu.web.printing`); a certificate marked 失效 prints so, with when and why."""

import io

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from kefu.core import clock
from kefu.web import printing


def certificate_pdf(filing, certificate) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm, topMargin=26 * mm)
    title, body = printing.style(20, 28), printing.style(11, 18)
    rows = [
        [_("Item"), _("Content")],
        [_("Certificate number"), certificate.number],
        [_("Vendor"), filing.name],
        [_("Unified social credit code"), filing.credit_code],
        [_("Registered capital (yuan)"), f"{filing.registered_capital:,.2f}"],
        [_("Subsidiary served"), filing.unit.name],
        [_("Issued on"), f"{clock.local(certificate.issued_at):%Y-%m-%d}"],
    ]
    if certificate.lapsed_at:
        rows.append(
            [
                _("Status"),
                _("Lapsed on %(d)s: %(r)s")
                % {"d": f"{clock.local(certificate.lapsed_at):%Y-%m-%d}", "r": certificate.lapse_reason},
            ]
        )
    else:
        rows.append([_("Status"), _("Valid")])
    story = [
        printing.text(_("Outsourced customer service filing certificate"), title),
        Spacer(1, 8 * mm),
        printing.table(rows, [50 * mm, 116 * mm]),
        Spacer(1, 8 * mm),
        printing.text(
            _(
                "This certificate proves the vendor's filing for outsourced customer service; the vendor reports "
                "its business and accounts periodically and is inspected."
            ),
            body,
        ),
    ]
    doc.build(story)
    return out.getvalue()
