"""Demo vendor filings (VEN-1): at 华辰置业 an outsourced hotline vendor approved three months ago with its
certificate and its first periodic report due within days; at 华辰水务 a vendor whose filing waits for the
information-security measures the reviewer asked for, and one whose filing lapsed because its first report
never came. Entered through the actions as the people concerned (王芳 and 高峰 for the vendors' side, 张伟
of the group office reviewing), with the clock set back where the story happened. Materials are small PDFs
made here. Idempotent: a vendor already filed is left alone."""

import io
from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.lib.pagesizes import A5
from reportlab.platypus import SimpleDocTemplate

from kefu.core import clock
from kefu.org.access import actor_for
from kefu.org.models import Employee, Unit
from kefu.vendors.actions import common, filings, reviews, supervision
from kefu.vendors.models import Filing, MaterialKind
from kefu.web import printing

# (credit code's first 17 characters, name, subsidiary, registered capital 元, contact, phone)
APPROVED = (
    "91330106MA2CDE4K7",
    "杭州云呼客户服务外包有限公司",
    "hc-realty",
    "5000000.00",
    "陈晓",
    "13905710001",
)
SUPPLEMENT = (
    "91330102MA2GH7N3P",
    "浙江声联呼叫中心服务有限公司",
    "hc-water",
    "2000000.00",
    "刘敏",
    "13905710002",
)
LAPSED = ("91330104MA2JK9Q2R", "杭州联讯信息服务有限公司", "hc-water", "1000000.00", "周涛", "13905710003")


def _pdf(title: str) -> bytes:
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A5).build([printing.text(title, printing.style(14))])
    return out.getvalue()


def _as(employee: Employee):
    return actor_for(employee.user, origin="cli demo")


def _at(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=clock.zone())


def _enter(manager: Employee, spec, *, kinds=tuple(MaterialKind)) -> Filing:
    first17, name, unit_code, capital, contact, phone = spec
    me = _as(manager)
    found = filings.create(
        me,
        unit=Unit.objects.get(code=unit_code),
        name=name,
        credit_code=first17 + common.check_digit(first17),
        registered_capital=capital,
        contact_name=contact,
        contact_phone=phone,
    )
    for kind in kinds:
        label = MaterialKind(kind).label
        upload = SimpleUploadedFile(f"{label}.pdf", _pdf(f"{name} · {label}（演示材料）"), "application/pdf")
        filings.add_material(me, found, kind=kind, upload=upload)
    return found


def _approved(manager: Employee, reviewer: Employee, today) -> Filing:
    """Approved so that its first report (3 months + 15 days after approval, by the default pack) is due in
    about four days."""
    day = supervision.add_months(today, -3) - timedelta(days=10)
    with clock.frozen_at(_at(day - timedelta(days=3), 10)):
        found = _enter(manager, APPROVED)
        filings.submit(_as(manager), found)
    with clock.frozen_at(_at(day, 15)):
        reviews.approve(_as(reviewer), found, note="材料齐全，合同合法有效")
    return found


def _awaiting_supplement(manager: Employee, reviewer: Employee, today) -> Filing:
    with clock.frozen_at(_at(today - timedelta(days=3), 9)):
        found = _enter(manager, SUPPLEMENT)
        filings.submit(_as(manager), found)
    with clock.frozen_at(_at(today - timedelta(days=2), 14)):
        reviews.request_supplement(
            _as(reviewer),
            found,
            reason="信息安全管理措施未写明客户数据的访问控制与泄露处置，请补充完整的信息安全管理制度",
            kinds=[MaterialKind.SECURITY],
        )
    return found


def _lapsed(manager: Employee, reviewer: Employee, today) -> Filing:
    """Approved five months ago; its first report never came: the clock lapsed it."""
    day = supervision.add_months(today, -5)
    with clock.frozen_at(_at(day - timedelta(days=5), 10)):
        found = _enter(manager, LAPSED)
        filings.submit(_as(manager), found)
    with clock.frozen_at(_at(day, 11)):
        reviews.approve(_as(reviewer), found)
    supervision.lapse()
    return found


def load_vendors() -> dict:
    people = {
        e.user.username: e
        for e in Employee.objects.filter(
            user__username__in=["wangfang", "gaofeng", "zhangwei"]
        ).select_related("user", "unit")
    }
    if len(people) < 3 or Filing.objects.filter(name=APPROVED[1]).exists():
        return {"filings": 0}
    today = clock.today()
    made = [
        _approved(people["wangfang"], people["zhangwei"], today),
        _awaiting_supplement(people["gaofeng"], people["zhangwei"], today),
        _lapsed(people["gaofeng"], people["zhangwei"], today),
    ]
    return {"filings": len(made)}
