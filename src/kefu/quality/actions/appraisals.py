"""Appraisal (APR-1, DIS-1): the only code that changes schemes, rounds, results and coaching plans.

- `save_scheme`: a new version of a subsidiary's (or the group's) scheme; the weights total 100.
- `open_round`: a manager opens the round of a unit for a period: each member's KPI and QA items are
  read from `insights.queries.kpis.values` (the daily facts, not recomputed) and turned into points by
  `queries.appraisals.kpi_points`; manual items wait for the manager. Members: the active staff of the
  unit's subtree except those who run appraisals (holders of `appraisal.manage`).
- `score`: the manager's points (0–100) for a manual item; the total is recomputed.
- `publish`: once the period is over and every manual item is scored: rank, name the outstanding (a
  reward proposal in the discipline ledger each), open a coaching plan for each person below the
  threshold, check the open plans of the members ("直至达到要求": met → closed with this round; still
  below for the pack's number of later rounds → a penalty proposal), notify each member. The round row
  is locked: two simultaneous publishes publish once.
- `note`: the coach records a coaching action or note.
"""

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.urls import reverse

from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid, NotFound
from kefu.discipline import actions as discipline
from kefu.engine.notifications.api import notify
from kefu.engine.policy import api as policy
from kefu.insights.queries import kpis
from kefu.org import access
from kefu.org.models import Employee, Unit
from kefu.quality.models import (
    AppraisalItem,
    AppraisalResult,
    AppraisalRound,
    AppraisalScheme,
    AppraisalScore,
    CoachingNote,
    CoachingPlan,
    CoachingState,
    ItemKind,
    PeriodKind,
    RoundState,
)
from kefu.quality.queries import appraisals as queries

MANAGE = queries.MANAGE
MAX_ITEMS = 20


def _bad(code: str, field: str, zh: str, en: str):
    raise Invalid(code, zh, en, {field: "invalid"})


# ---- schemes -----------------------------------------------------------------------------------------


def _clean_items(items: list[dict]) -> list[dict]:
    if not items or len(items) > MAX_ITEMS:
        _bad(
            "appraisal_items",
            "items",
            f"考核方案须有 1–{MAX_ITEMS} 个考核项",
            f"A scheme has 1–{MAX_ITEMS} items",
        )
    codes = {k.code for k in kpis.KPIS if k.code != "qa_score"}
    cleaned = []
    for raw in items:
        kind = str(raw.get("kind") or "")
        name = str(raw.get("name") or "").strip()[:100]
        code = str(raw.get("kpi_code") or "").strip() if kind == ItemKind.KPI else ""
        if kind not in ItemKind.values:
            _bad(
                "appraisal_item_kind", "items", "考核项类型须为指标、质检得分或主管评分", "Unknown item kind"
            )
        if kind == ItemKind.KPI and code not in codes:
            _bad("appraisal_item_kpi", "items", f"未知的考核指标：{code or '（空）'}", f"Unknown KPI: {code}")
        if kind == ItemKind.KPI and not name:
            name = str(kpis.kpi(code).name)
        if not name:
            _bad("appraisal_item_name", "items", "考核项须有名称", "Every item needs a name")
        try:
            weight = int(raw.get("weight"))
        except (TypeError, ValueError):
            weight = -1
        if not 1 <= weight <= 100:
            _bad(
                "appraisal_item_weight", "items", f"“{name}”的权重须为 1–100 的整数", f"{name}: weight 1–100"
            )
        cleaned.append(
            {
                "kind": kind,
                "kpi_code": code,
                "name": name,
                "weight": weight,
                "description": str(raw.get("description") or "").strip()[:1000],
            }
        )
    weights = sum(i["weight"] for i in cleaned)
    if weights != 100:
        _bad(
            "appraisal_weights_total",
            "items",
            f"各考核项权重合计须为 100，当前为 {weights}",
            f"The weights must total 100; they total {weights}",
        )
    return cleaned


def _may_configure(actor: Actor, unit) -> None:
    access.require(actor, MANAGE)
    if unit is None:
        ok = access.widest_scope(actor, MANAGE) == "group"
    else:
        ok = access.write_in_scope(actor, MANAGE, unit=unit, owner_id=None)
    if not ok:
        raise NotFound("考核方案", "appraisal scheme")


def save_scheme(
    actor: Actor, *, unit, period_kind: str, name: str, items: list[dict], note: str = ""
) -> AppraisalScheme:
    """APR-1: a new version of the unit's scheme (unit None: the group default) for the period kind."""
    _may_configure(actor, unit)
    if period_kind not in PeriodKind.values:
        _bad("appraisal_period_kind", "period_kind", "考核周期须为月度或季度", "Monthly or quarterly")
    cleaned = _clean_items(items)
    name = (name or "").strip()[:100]
    if not name:
        _bad("appraisal_scheme_name", "name", "请填写考核方案名称", "Name the scheme")
    with transaction.atomic():
        current = (
            AppraisalScheme.objects.select_for_update(of=("self",))
            .filter(unit=unit, period_kind=period_kind, active=True)
            .first()
        )
        latest = (
            AppraisalScheme.objects.filter(unit=unit, period_kind=period_kind).aggregate(v=Max("version"))[
                "v"
            ]
            or 0
        )
        if current is not None:
            current.active = False
            current.save(update_fields=["active"])
        scheme = AppraisalScheme.objects.create(
            unit=unit,
            period_kind=period_kind,
            name=name,
            version=latest + 1,
            active=True,
            created_at=clock.now(),
            created_by=actor.user,
            note=(note or "").strip()[:300],
        )
        AppraisalItem.objects.bulk_create(
            [AppraisalItem(scheme=scheme, position=n, **item) for n, item in enumerate(cleaned)]
        )
        audit.record(
            actor,
            "quality.appraisal.scheme",
            scheme,
            before={"version": current.version} if current else None,
            after={
                "version": scheme.version,
                "appraisal_items": [f"{i['name']} {i['weight']}" for i in cleaned],
            },
        )
    return scheme


# ---- rounds ------------------------------------------------------------------------------------------


def _target_scope(actor: Actor, unit: Unit) -> None:
    """The write target's scope (ORG-3): out of reach → 404 (no existence leak)."""
    access.require(actor, MANAGE)
    if not access.write_in_scope(actor, MANAGE, unit=unit, owner_id=None):
        raise NotFound("考核", "appraisal round")


def members(unit: Unit) -> list[Employee]:
    """The staff a round of `unit` appraises: active, in its subtree, not holding `appraisal.manage`."""
    found = list(
        Employee.objects.filter(unit__path__startswith=unit.path, status="active")
        .select_related("unit", "user")
        .order_by("name", "pk")
    )
    return [e for e in found if MANAGE not in access.role_grants(e) and not e.user.is_superuser]


def _kpi_score(item: AppraisalItem, found: kpis.Value) -> dict:
    goal = found.target
    points = queries.kpi_points(found.value, goal.value if goal is not None else None, found.kpi.better)
    note = ""
    if found.value is None:
        note = "本期无数据，不计入总分"
    elif goal is None:
        note = "制度包无此指标目标，不计入总分"
    elif goal.default_not_from_seeds:
        note = "目标为本系统默认值"
    return {
        "value": Decimal(str(found.value)) if found.value is not None else None,
        "target": Decimal(str(goal.value)) if goal is not None else None,
        "points": points,
        "excluded": points is None,
        "rule": goal.rule if goal is not None else "KPI-1",
        "clause": (goal.clause if goal is not None and not goal.default_not_from_seeds else ""),
        "policy_version": goal.version if goal is not None else None,
        "note": note,
    }


def _qa_score(found: kpis.Value) -> dict:
    if found.value is None:
        return {"excluded": True, "rule": "QA-1", "note": "本期无已定稿质检，不计入总分"}
    value = Decimal(str(found.value))
    return {"value": value, "points": min(value, queries.HUNDRED), "rule": "QA-1"}


def _item_scores(actor: Actor, items, member: Employee, period) -> list[AppraisalScore]:
    by_code = {v.kpi.code: v for v in kpis.values(actor, kpis.Scope(agent=member), period)}
    out = []
    for item in items:
        if item.kind == ItemKind.KPI:
            fields = _kpi_score(item, by_code[item.kpi_code])
        elif item.kind == ItemKind.QA:
            fields = _qa_score(by_code["qa_score"])
        else:
            fields = {"rule": "APR-1", "clause": queries.SCHEME_CLAUSE}
        out.append(AppraisalScore(item=item, **fields))
    return out


def _total(result_scores) -> Decimal | None:
    return queries.total([(s.item.weight, None if s.excluded else s.points) for s in result_scores])


def open_round(actor: Actor, *, unit: Unit, period_kind: str, day=None) -> AppraisalRound:
    """APR-1: open the round of `unit` for the month or quarter containing `day` (default: the last
    finished one). One round per unit and period (the database refuses a second)."""
    _target_scope(actor, unit)
    if period_kind not in PeriodKind.values:
        _bad("appraisal_period_kind", "period_kind", "考核周期须为月度或季度", "Monthly or quarterly")
    today = clock.today()
    if day is None:
        day = kpis.period_of(period_kind, today).start - timedelta(days=1)
    period = kpis.period_of(period_kind, day)
    if period.start > today:
        _bad("appraisal_future", "day", "不能为尚未开始的周期开启考核", "The period has not started")
    scheme = queries.current_scheme(unit, period_kind)
    if scheme is None:
        _bad("appraisal_no_scheme", "period_kind", "没有可用的考核方案", "No appraisal scheme")
    people = members(unit)
    if not people:
        _bad(
            "appraisal_no_members",
            "unit",
            f"“{unit.name}”没有可考核的人员",
            f"{unit.name} has no staff to appraise",
        )
    items = list(scheme.items.order_by("position", "pk"))
    with transaction.atomic():
        if AppraisalRound.objects.filter(
            unit=unit, period_kind=period_kind, period_start=period.start
        ).exists():
            raise Conflict(
                "appraisal_round_exists",
                f"“{unit.name}”{period.label}的考核已开启",
                f"The round of {unit.name} for this period exists",
            )
        round_ = AppraisalRound.objects.create(
            scheme=scheme,
            unit=unit,
            period_kind=period_kind,
            period_start=period.start,
            period_end=period.end,
            opened_by=actor.user,
            opened_at=clock.now(),
        )
        for member in people:
            result = AppraisalResult.objects.create(round=round_, employee=member, unit=member.unit)
            rows = _item_scores(actor, items, member, period)
            for row in rows:
                row.result = result
            AppraisalScore.objects.bulk_create(rows)
            result.total = _total(rows)
            result.save(update_fields=["total"])
        audit.record(
            actor,
            "quality.appraisal.open",
            round_,
            object_repr=f"{unit.name} {period.label}",
            after={
                "unit": unit.pk,
                "appraisal_period": period.label,
                "appraisal_scheme": f"{scheme.name}（第 {scheme.version} 版）",
                "members": len(people),
            },
        )
    return round_


def _locked(round_: AppraisalRound) -> AppraisalRound:
    return AppraisalRound.objects.select_for_update(of=("self",)).select_related("unit").get(pk=round_.pk)


def _open(round_: AppraisalRound) -> None:
    if round_.state != RoundState.OPEN:
        raise Conflict(
            "appraisal_published",
            "该考核已发布，不能再修改",
            "The round is published",
            state_now=round_.state,
        )


def _points(raw) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        value = Decimal(-1)
    if not value.is_finite() or not 0 <= value <= 100:
        _bad("appraisal_points", "points", "评分须为 0–100 的数字", "Points are 0–100")
    return queries._round1(value)


def score_many(actor: Actor, round_: AppraisalRound, entries: list[dict]) -> int:
    """APR-1: the manager's points (0–100) for manual items — [{result_id, item_id, points, note}] —
    all or nothing; the totals follow. Returns how many scores changed."""
    _target_scope(actor, round_.unit)
    wanted = {
        (int(e["result_id"]), int(e["item_id"])): (_points(e["points"]), e.get("note") or "") for e in entries
    }
    with transaction.atomic():
        round_ = _locked(round_)
        _open(round_)
        rows = {
            (r.result_id, r.item_id): r
            for r in AppraisalScore.objects.select_related("item", "result", "result__employee").filter(
                result__round=round_, result_id__in={k[0] for k in wanted}
            )
        }
        changed, touched = [], {}
        for key, (points, text) in wanted.items():
            row = rows.get(key)
            if row is None:
                raise NotFound("考核项", "appraisal item")
            if row.item.kind != ItemKind.MANUAL:
                _bad(
                    "appraisal_not_manual",
                    "item",
                    "只有主管评分项可以手工评分",
                    "Only manual items are scored by hand",
                )
            text = text.strip()[:300]
            if row.points == points and row.note == text:
                continue
            changed.append((row, row.points))
            row.points, row.note = points, text
            touched[row.result_id] = row.result
        if not changed:
            return 0
        AppraisalScore.objects.bulk_update([row for row, _ in changed], ["points", "note"])
        everything = AppraisalScore.objects.filter(result_id__in=list(touched)).select_related("item")
        by_result: dict[int, list] = {}
        for row in everything:
            by_result.setdefault(row.result_id, []).append(row)
        for result_id, result in touched.items():
            result.total = _total(by_result[result_id])
        AppraisalResult.objects.bulk_update(list(touched.values()), ["total"])
        for row, before in changed:
            audit.record(
                actor,
                "quality.appraisal.score",
                row.result,
                object_repr=f"{row.result.employee.name} · {row.item.name}",
                before={"points": before},
                after={"points": row.points, "total": row.result.total},
            )
    return len(changed)


def score(
    actor: Actor, round_: AppraisalRound, *, result_id: int, item_id: int, points, note: str = ""
) -> AppraisalResult:
    """APR-1: the manager's points (0–100) for one manual item of one member; the total follows."""
    score_many(actor, round_, [{"result_id": result_id, "item_id": item_id, "points": points, "note": note}])
    found = AppraisalResult.objects.filter(round=round_, pk=result_id).select_related("employee").first()
    if found is None:
        raise NotFound("考核项", "appraisal item")
    return found


def _coach_of(employee: Employee, publisher: Employee | None) -> Employee | None:
    return employee.supervisors.order_by("pk").first() or publisher


def publish(actor: Actor, round_: AppraisalRound) -> AppraisalRound:
    """APR-1, DIS-1: rank, name the outstanding, coach those below, propose rewards and penalties,
    notify — once (the round row is locked; a second publish answers 409)."""
    _target_scope(actor, round_.unit)
    now = clock.now()
    with transaction.atomic():
        round_ = _locked(round_)
        _open(round_)
        period = queries.period_of(round_)
        if clock.today() < round_.period_end:
            _bad(
                "appraisal_period_running",
                "round",
                f"{period.label}尚未结束，结束后才能发布",
                "The period is not over",
            )
        results = list(round_.results.select_related("employee", "employee__user", "unit"))
        missing = list(
            AppraisalScore.objects.filter(
                result__round=round_, item__kind=ItemKind.MANUAL, points__isnull=True
            )
            .select_related("result__employee", "item")
            .order_by("result__employee__name")[:3]
        )
        if missing:
            who = "、".join(f"{m.result.employee.name}的“{m.item.name}”" for m in missing)
            _bad("appraisal_unscored", "round", f"尚未评分：{who}", "Some manual items are not scored")
        blank = [r.employee.name for r in results if r.total is None]
        if blank:
            _bad(
                "appraisal_no_total",
                "round",
                f"无可计分项：{'、'.join(blank)}",
                "A member has no scored item",
            )
        threshold_entry = policy.lookup(queries.THRESHOLD, at=now, unit=round_.unit)
        count_entry = policy.lookup(queries.OUTSTANDING, at=now, unit=round_.unit)
        after_entry = policy.lookup(queries.PENALTY_AFTER, at=now, unit=round_.unit)
        threshold = Decimal(str(threshold_entry.value))
        ranked = {
            r.result_id: r
            for r in queries.rank(
                [(r.pk, r.total) for r in results], outstanding=int(count_entry.value), threshold=threshold
            )
        }
        for r in results:
            found = ranked[r.pk]
            r.rank, r.tied, r.outstanding, r.below = found.rank, found.tied, found.outstanding, found.below
        AppraisalResult.objects.bulk_update(results, ["rank", "tied", "outstanding", "below"])
        round_.state, round_.published_at, round_.published_by = RoundState.PUBLISHED, now, actor.user
        round_.threshold, round_.outstanding_count = threshold, int(count_entry.value)
        round_.save(update_fields=["state", "published_at", "published_by", "threshold", "outstanding_count"])
        publisher = access.employee_of(actor.principal)
        open_plans = {
            p.employee_id: p
            for p in CoachingPlan.objects.select_for_update(of=("self",))
            .filter(employee__in=[r.employee_id for r in results], state=CoachingState.OPEN)
            .select_related("opened_round")
        }
        for r in results:
            outcome = [f"总分 {r.total}，第 {r.rank} 名" + ("（并列）" if r.tied else "")]
            plan = open_plans.get(r.employee_id)
            if r.outstanding:
                outcome.append("评为优秀员工，已提交奖励建议待人力确认")
                discipline.propose(
                    actor,
                    r.employee,
                    "appraisal_outstanding",
                    evidence=f"{round_.unit.name}{period.label}考核总分 {r.total}，第 {r.rank} 名",
                    rule="APR-1",
                    source_obj=r,
                )
            if plan is not None and plan.opened_round.period_start < round_.period_start:
                outcome.append(_check_plan(actor, plan, r, round_, after_entry, period, now))
            elif plan is None and r.below:
                plan = CoachingPlan.objects.create(
                    employee=r.employee,
                    unit=r.unit,
                    coach=_coach_of(r.employee, publisher),
                    goal=f"考核总分达到 {threshold} 分",
                    threshold=threshold,
                    opened_round=round_,
                    last_round=round_,
                    opened_at=now,
                )
                outcome.append(
                    f"低于 {threshold} 分，已开启辅导计划（辅导人：{plan.coach.name if plan.coach else '—'}）"
                )
                if plan.coach is not None and plan.coach.user_id:
                    notify(
                        [plan.coach.user],
                        "quality.coaching_opened",
                        {
                            "name": r.employee.name,
                            "period": period.label,
                            "total": r.total,
                            "threshold": threshold,
                        },
                        obj=plan,
                        link=reverse("quality:coaching_plan", args=[plan.pk]),
                        channels=("inbox",),
                    )
            decisions.record_from_entry(
                r,
                threshold_entry if (r.below or plan is not None) else count_entry,
                outcome="；".join(outcome),
                inputs={"total": r.total, "rank": r.rank, "outstanding_count": int(count_entry.value)},
                actor=actor,
            )
            if r.employee.user_id:
                notify(
                    [r.employee.user],
                    "quality.appraisal_published",
                    {"period": period.label, "total": r.total, "rank": r.rank, "outstanding": r.outstanding},
                    obj=r,
                    link=reverse("quality:appraisal_result", args=[r.pk]),
                    channels=("inbox",),
                )
        audit.record(
            actor,
            "quality.appraisal.publish",
            round_,
            object_repr=f"{round_.unit.name} {period.label}",
            after={
                "members": len(results),
                "outstanding": [r.employee.name for r in results if r.outstanding],
                "below": [r.employee.name for r in results if r.below],
            },
        )
    return round_


def _check_plan(actor, plan: CoachingPlan, r: AppraisalResult, round_, after_entry, period, now) -> str:
    """ "直至达到要求": a later published round of the person meets the threshold → the plan closes with
    that round; still below → one more round missed, and at the pack's count a penalty proposal."""
    plan.last_round = round_
    if r.total >= plan.threshold:
        plan.state, plan.closed_round, plan.closed_at = CoachingState.MET, round_, now
        plan.save(update_fields=["state", "closed_round", "closed_at", "last_round"])
        audit.record(actor, "quality.coaching.met", plan, after={"round": round_.pk, "total": r.total})
        return f"达到 {plan.threshold} 分，辅导计划完成并关闭"
    plan.rounds_missed += 1
    text = f"仍低于 {plan.threshold} 分，辅导继续（辅导后第 {plan.rounds_missed} 轮未达标）"
    if plan.rounds_missed >= int(after_entry.value) and not plan.penalty_proposed:
        plan.penalty_proposed = True
        discipline.propose(
            actor,
            r.employee,
            "appraisal_not_met",
            evidence=(
                f"辅导后连续 {plan.rounds_missed} 轮考核未达 {plan.threshold} 分"
                f"（{round_.unit.name}{period.label}总分 {r.total}）"
            ),
            rule="APR-1",
            source_obj=r,
        )
        text += "，已提交处分建议待人力确认"
    plan.save(update_fields=["rounds_missed", "last_round", "penalty_proposed"])
    audit.record(
        actor,
        "quality.coaching.missed",
        plan,
        after={"round": round_.pk, "rounds_missed": plan.rounds_missed},
    )
    return text


# ---- coaching notes ------------------------------------------------------------------------------------


def note(actor: Actor, plan: CoachingPlan, *, text: str) -> CoachingNote:
    """APR-1: the coach (or a manager of the person's unit) records a coaching action or note."""
    plan = queries.plan(actor, plan.pk)
    if not queries.may_note(actor, plan):
        raise NotFound("辅导计划", "coaching plan")
    text = (text or "").strip()
    if not text:
        _bad("coaching_note_required", "text", "请填写辅导内容", "Write the coaching note")
    with transaction.atomic():
        row = CoachingNote.objects.create(
            plan=plan, author=access.employee_of(actor.principal), at=clock.now(), text=text[:2000]
        )
        audit.record(actor, "quality.coaching.note", plan, after={"note": row.pk})
    return row
