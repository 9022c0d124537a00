"""The version of 我的工单 for its live refresh (issue 13, `kefu.engine.notifications.live`).

What the queue shows by default — the person's open cases and the open cases waiting unassigned in
their skill groups (`intake.mine_and_queue`) — changes when one arrives, leaves or is changed: its
count, latest change and earliest deadline say so. One aggregate that walks the (owner, state) and
(skill_group, state) indexes, whatever the history.
"""

from django.db.models import Count, Max, Q

from kefu.cases.models import OPEN_STATES, Case, SkillGroup


def queue_version(user) -> tuple:
    employee = getattr(user, "employee", None)
    if employee is None:
        return ()
    groups = SkillGroup.objects.filter(members=employee).values("pk")
    found = (
        Case.objects.filter(state__in=OPEN_STATES)
        .filter(Q(owner=employee) | Q(owner__isnull=True, skill_group_id__in=groups))
        .aggregate(count=Count("pk"), changed=Max("updated_at"), due=Max("next_due_at"))
    )
    return found["count"], found["changed"], found["due"]
