"""Scorecards and sampling plans (QA-1): the only code that changes them. A change of a scorecard's
items makes a new version (the old one stays for the inspections scored on it); a sampling plan's
risk weights are edited in place (the draws already made keep their recorded factors)."""

from django.db import transaction
from django.db.models import Max

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound
from kefu.org import access
from kefu.quality.models import RiskFactor, SamplingPlan, Scorecard, ScorecardItem

CONFIGURE = "quality.configure"
MAX_ITEMS = 30


def _may_configure(actor: Actor, unit) -> None:
    access.require(actor, CONFIGURE)
    if unit is None:
        ok = access.widest_scope(actor, CONFIGURE) == "group"
    else:
        ok = access.write_in_scope(actor, CONFIGURE, unit=unit, owner_id=None)
    if not ok:
        raise NotFound("评分表", "scorecard")


def _bad(field: str, zh: str, en: str):
    raise Invalid("quality_scorecard_invalid", zh, en, {field: "invalid"})


def _clean_items(items: list[dict]) -> list[dict]:
    if not items or len(items) > MAX_ITEMS:
        _bad("items", f"评分表须有 1–{MAX_ITEMS} 个评分项", f"A scorecard has 1–{MAX_ITEMS} items")
    cleaned = []
    for raw in items:
        name = str(raw.get("name") or "").strip()[:100]
        fatal = bool(raw.get("fatal"))
        try:
            weight = 0 if fatal else int(raw.get("weight") or 0)
            max_score = 0 if fatal else int(raw.get("max_score") or 0)
        except (TypeError, ValueError):
            _bad("items", "权重和满分须为整数", "Weight and maximum are whole numbers")
        if not name:
            _bad("items", "评分项须有名称", "Every item needs a name")
        if not fatal and (weight < 0 or weight > 1000 or max_score < 1 or max_score > 100):
            _bad(
                "items", f"“{name}”的权重须为 0–1000，满分须为 1–100", f"{name}: weight 0–1000, maximum 1–100"
            )
        cleaned.append(
            {
                "name": name,
                "weight": weight,
                "max_score": max_score,
                "fatal": fatal,
                "description": str(raw.get("description") or "").strip()[:2000],
            }
        )
    if not any(i["weight"] > 0 for i in cleaned if not i["fatal"]):
        _bad("items", "至少一个非致命项的权重须大于 0", "At least one item that is not fatal needs a weight")
    return cleaned


def save_version(actor: Actor, *, unit, name: str, items: list[dict], note: str = "") -> Scorecard:
    """QA-1: the new version of the unit's scorecard (unit None: the group default); the previous one is
    kept, inactive, for the inspections scored on it."""
    _may_configure(actor, unit)
    cleaned = _clean_items(items)
    name = (name or "").strip()[:100]
    if not name:
        _bad("name", "请填写评分表名称", "Name the scorecard")
    with transaction.atomic():
        current = Scorecard.objects.select_for_update(of=("self",)).filter(unit=unit, active=True).first()
        latest = Scorecard.objects.filter(unit=unit).aggregate(v=Max("version"))["v"] or 0
        if current is not None:
            current.active = False
            current.save(update_fields=["active"])
        card = Scorecard.objects.create(
            unit=unit,
            name=name,
            version=latest + 1,
            active=True,
            created_at=clock.now(),
            created_by=actor.user,
            note=(note or "").strip()[:300],
        )
        ScorecardItem.objects.bulk_create(
            [ScorecardItem(scorecard=card, position=n, **item) for n, item in enumerate(cleaned)]
        )
        audit.record(
            actor,
            "quality.scorecard.version",
            card,
            before={"version": current.version} if current else None,
            after={"version": card.version, "items": cleaned},
        )
    return card


def save_plan(actor: Actor, *, unit, risk_weights: dict) -> SamplingPlan:
    """QA-1: the risk weights of the unit's sampling plan (unit None: the group default)."""
    _may_configure(actor, unit)
    weights = {}
    for factor in RiskFactor.values:
        try:
            value = int(risk_weights.get(factor) or 0)
        except (TypeError, ValueError):
            value = -1
        if not 0 <= value <= 100:
            raise Invalid(
                "quality_plan_invalid",
                "风险权重须为 0–100 的整数",
                "Risk weights are 0–100",
                {factor: "invalid"},
            )
        weights[factor] = value
    with transaction.atomic():
        plan = SamplingPlan.objects.select_for_update(of=("self",)).filter(unit=unit, active=True).first()
        before = dict(plan.risk_weights) if plan else None
        if plan is None:
            plan = SamplingPlan.objects.create(unit=unit, risk_weights=weights, updated_at=clock.now())
        else:
            plan.risk_weights = weights
            plan.updated_at = clock.now()
            plan.save(update_fields=["risk_weights", "updated_at"])
        audit.record(actor, "quality.plan.save", plan, before=before, after=weights)
    return plan
