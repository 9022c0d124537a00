"""The customer timeline's 工单 entries (CUS-9): the customer's cases that the viewer may see, by the
day they were received. Registered from apps.ready()."""

from kefu.cases.queries import intake as queries
from kefu.customers import timeline
from kefu.customers.timeline import Entry


def case_entries(actor, customer) -> list:
    return [
        Entry(
            at=case.received_at,
            kind="case",
            title=f"{case.number} {case.title} · {case.get_state_display()}",
            detail=case.kind.name if case.kind_id else "",
            link=case.get_absolute_url(),
            by=case.owner.name if case.owner_id else "",
        )
        for case in queries.cases(actor, customer_id=customer.pk).select_related("kind", "owner")[:50]
    ]


def register() -> None:
    timeline.register("cases", case_entries)
