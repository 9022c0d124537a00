"""Demo shifts (WFM-1): 陈杰 (排班管理员) sets up the 24×7 hotline 热线一组 — 早班 08:00–16:00,
中班 16:00–24:00, 晚班 00:00–08:00, one person on each at any time, one of them from the complaint
skill group on weekday day shifts — then drafts next week's rota with the solver, sends it to staff
for comments (赵敏 asks for an early shift) and publishes it. Through the actions, as 陈杰."""

from datetime import time, timedelta

from kefu.cases.models import SkillGroup
from kefu.core import clock
from kefu.org.access import actor_for
from kefu.org.models import Employee, Unit
from kefu.workforce.actions import coverage, rotas, shifts
from kefu.workforce.models import Rota

TEMPLATES = [
    ("early", "早班", time(8), time(16)),
    ("middle", "中班", time(16), time(0)),
    ("night", "晚班", time(0), time(8)),
]


def load_shifts(actor) -> dict:
    hotline = Unit.objects.filter(code="realty-cs-hotline").first()
    people = {
        e.user.username: e
        for e in Employee.objects.select_related("user", "unit").filter(
            user__username__in=("chenjie", "zhaomin")
        )
    }
    if hotline is None or len(people) < 2 or Rota.objects.filter(unit=hotline).exists():
        return {"rotas": 0}
    chenjie = actor_for(people["chenjie"].user, origin="cli demo")
    group = SkillGroup.objects.filter(
        unit__path__in=[hotline.path, hotline.parent.path], members=people["zhaomin"]
    ).first()
    for code, name, starts, ends in TEMPLATES:
        template = shifts.save_template(chenjie, hotline, code=code, name=name, starts=starts, ends=ends)
        for kind in ("weekday", "weekend", "holiday"):
            skilled = group is not None and kind == "weekday" and code == "early"
            coverage.set_rule(
                chenjie,
                template,
                kind,
                min_staff=1,
                skill_group=group if skilled else None,
                min_skilled=1 if skilled else 0,
            )
    today = clock.today()
    monday = today + timedelta(days=7 - today.weekday())
    rota = rotas.draft(chenjie, hotline, monday, monday + timedelta(days=6), time_limit=10)
    rota = rotas.advance(chenjie, rota)  # staff feedback
    rotas.comment(actor_for(people["zhaomin"].user, origin="cli demo"), rota, "周三家里有事，希望上早班。")
    rota = rotas.advance(chenjie, rota)  # final
    rota = rotas.advance(chenjie, rota, confirm_gaps=True)  # published, everyone notified
    return {"rotas": 1, "rota": rota.pk}
