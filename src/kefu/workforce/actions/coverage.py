"""Coverage rules (WFM-1): the minimum staff on a shift by kind of day, and how many of them from a
skill group. Set by the 排班管理员 over the team."""

from django.db import transaction

from kefu.cases.models import SkillGroup
from kefu.core import audit
from kefu.core.actor import Actor
from kefu.core.errors import Invalid
from kefu.workforce.actions.shifts import require_team
from kefu.workforce.models import CoverageRule, DayKind, ShiftTemplate


def set_rule(
    actor: Actor,
    template: ShiftTemplate,
    day_kind: str,
    *,
    min_staff: int,
    skill_group: SkillGroup | None = None,
    min_skilled: int = 0,
) -> CoverageRule:
    """Create or change the rule for `template` on `day_kind` days."""
    require_team(actor, template.unit)
    if day_kind not in DayKind.values:
        raise Invalid("workforce_day_kind", "日期类型无效", "Invalid kind of day", {"day_kind": "invalid"})
    if min_staff < 0 or min_skilled < 0 or min_skilled > min_staff:
        raise Invalid(
            "workforce_coverage",
            "最少人数须为非负整数，技能人数不能多于最少人数",
            "Minimum staff must be ≥ 0 and the skilled count at most the minimum staff",
            {"min_skilled": "invalid"},
        )
    if min_skilled and skill_group is None:
        raise Invalid(
            "workforce_coverage_skill",
            "请选择技能组",
            "Choose the skill group",
            {"skill_group": "required"},
        )
    with transaction.atomic():
        rule, created = CoverageRule.objects.select_for_update(of=("self",)).get_or_create(
            template=template,
            day_kind=day_kind,
            defaults={"min_staff": min_staff, "skill_group": skill_group, "min_skilled": min_skilled},
        )
        before = None
        if not created:
            before = audit.snapshot(rule, ["min_staff", "skill_group", "min_skilled"])
            rule.min_staff, rule.skill_group, rule.min_skilled = min_staff, skill_group, min_skilled
            rule.save(update_fields=["min_staff", "skill_group", "min_skilled"])
        audit.record(
            actor,
            "workforce.coverage.set",
            rule,
            before=before,
            after=audit.snapshot(rule, ["day_kind", "min_staff", "skill_group", "min_skilled"]),
        )
    return rule
