"""Annual and work plans (DOC-1): the only code that writes them. documents.manage over the unit draws
up a plan for a year with items (owner within the unit's subsidiary, due date); the item's owner, or a
manager over the unit, reports progress — percent and status, each report kept; 100 % or 已完成 marks it
done on that day. An item past its due date and not done is overdue (queries, from the clock)."""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, PermissionDenied
from kefu.documents.actions.common import require_manage, text
from kefu.documents.models import ItemStatus, PlanItem, PlanKind, ProgressUpdate, WorkPlan
from kefu.documents.queries.common import MANAGE
from kefu.engine.notifications.api import notify
from kefu.engine.policy import api as policy_pack
from kefu.org import access
from kefu.org.models import Employee, Unit

ITEM_LIMIT = 100


@dataclass
class ItemIn:
    text: str
    owner: Employee
    due_on: date


def _item(plan: WorkPlan, item: ItemIn) -> ItemIn:
    home = policy_pack.subsidiary_of(plan.unit) or plan.unit
    if item.owner is None or not item.owner.unit.path.startswith(home.path):
        name = getattr(item.owner, "name", "")
        raise Invalid(
            "documents_owner",
            f"{name} 不在本单位在职人员中",
            "The owner is not a colleague",
            {"owner": "outside"},
        )
    if not isinstance(item.due_on, date):
        raise Invalid("documents_due", "请填写完成期限", "Give the due date", {"due_on": "required"})
    if item.due_on.year < plan.year - 1 or item.due_on.year > plan.year + 1:
        raise Invalid(
            "documents_due_year",
            "完成期限应在计划年度内",
            "The due date is outside the plan's year",
            {"due_on": "year"},
        )
    return ItemIn(text(item.text, "text", "计划事项", limit=500), item.owner, item.due_on)


def _add(actor: Actor, plan: WorkPlan, item: ItemIn, position: int) -> PlanItem:
    made = PlanItem.objects.create(
        plan=plan,
        position=position,
        text=item.text,
        owner=item.owner,
        due_on=item.due_on,
        updated_at=clock.now(),
    )
    audit.record(
        actor,
        "documents.plan.item",
        made,
        after={"plan": plan.pk, "owner": item.owner.pk, "due_on": item.due_on.isoformat()},
    )
    if item.owner.user_id:
        notify(
            [item.owner.user],
            "documents.plan_item_assigned",
            {
                "plan": plan.title,
                "item": item.text[:60],
                "due": f"{item.due_on.year}年{item.due_on.month}月{item.due_on.day}日",
            },
            obj=made,
            link=reverse("documents:plan", args=[plan.pk]),
            channels=("inbox",),
        )
    return made


def create_plan(actor: Actor, *, unit: Unit, kind: str, year: int, title: str, items=()) -> WorkPlan:
    """DOC-1: an annual or work plan of `unit` for `year`, with its items."""
    require_manage(actor, unit)
    if kind not in PlanKind.values:
        raise Invalid("documents_plan_kind", "请选择计划类型", "Choose the plan kind", {"kind": "invalid"})
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise Invalid("documents_plan_year", "请填写计划年度", "Give the plan's year", {"year": "invalid"})
    title = text(title, "title", "计划名称", limit=200)
    items = list(items or [])
    if len(items) > ITEM_LIMIT:
        raise Invalid("documents_items_many", "计划事项过多", "Too many items", {"items": "too_many"})
    try:
        with transaction.atomic():
            plan = WorkPlan.objects.create(
                unit=unit, kind=kind, year=year, title=title, created_at=clock.now(), created_by=actor.user
            )
            audit.record(
                actor, "documents.plan.create", plan, after={"unit": unit.pk, "kind": kind, "year": year}
            )
            for position, item in enumerate(items, 1):
                _add(actor, plan, _item(plan, item), position)
    except IntegrityError:
        raise Invalid(
            "documents_plan_exists",
            "本单位该年度已有同名计划",
            "The unit has this plan for the year",
            {"title": "exists"},
        ) from None
    return plan


def add_item(actor: Actor, plan: WorkPlan, item: ItemIn) -> PlanItem:
    """DOC-1: one more item of the plan."""
    require_manage(actor, plan.unit)
    item = _item(plan, item)
    with transaction.atomic():
        locked = WorkPlan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
        last = locked.items.order_by("-position").values_list("position", flat=True).first() or 0
        if last >= ITEM_LIMIT:
            raise Invalid("documents_items_many", "计划事项过多", "Too many items", {"items": "too_many"})
        return _add(actor, locked, item, last + 1)


def may_report(actor: Actor, item: PlanItem) -> bool:
    me = access.employee_of(actor.principal)
    if me is not None and me.pk == item.owner_id:
        return True
    return access.may_write(actor, MANAGE, unit=item.plan.unit, owner_id=None)


def report_progress(actor: Actor, item: PlanItem, *, percent: int, status: str, note: str = "") -> PlanItem:
    """DOC-1: the owner (or a manager over the plan's unit) reports the item's percent and status."""
    if not may_report(actor, item):
        raise PermissionDenied(
            "只有事项负责人或计划管理人员可以更新进度",
            "Only the item's owner or a plan manager may report progress",
            code="documents_progress_forbidden",
        )
    if not isinstance(percent, int) or not 0 <= percent <= 100:
        raise Invalid(
            "documents_percent", "完成比例应为 0 到 100 的整数", "Percent is 0–100", {"percent": "invalid"}
        )
    if status not in ItemStatus.values:
        raise Invalid("documents_status", "请选择进度状态", "Choose the status", {"status": "invalid"})
    if percent == 100:
        status = ItemStatus.DONE
    if status == ItemStatus.DONE:
        percent = 100
    note = text(note, "note", "进度说明", required=False, limit=500)
    with transaction.atomic():
        locked = PlanItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
        before = {"percent": locked.percent, "status": locked.status}
        locked.percent, locked.status, locked.updated_at = percent, status, clock.now()
        locked.done_on = clock.today() if status == ItemStatus.DONE else None
        locked.save(update_fields=["percent", "status", "updated_at", "done_on"])
        ProgressUpdate.objects.create(
            item=locked, percent=percent, status=status, note=note, at=clock.now(), by=actor.user
        )
        audit.record(
            actor,
            "documents.plan.progress",
            locked,
            before=before,
            after={"percent": percent, "status": status},
        )
    return locked
