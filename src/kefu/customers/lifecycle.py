"""CUS-7 first contact as a declared workflow: assignment_state unassigned → assigned → contacted.

`actions.assign` starts the timer `customers.first_contact` (policy `customers.first_contact_within`,
"应在一周内与客户进行沟通"); `actions.record_contact` stops it. On breach the engine's sweep writes the
decision record and tells the specialist's supervisors (timer.breach).
"""

from kefu.engine.workflow.declare import Lifecycle, TimerSpec, Transition, register


def specialist_supervisors(customer) -> list:
    specialist = customer.specialist
    if specialist is None:
        return []
    bosses = [e.user for e in specialist.supervisors.select_related("user") if e.status == "active"]
    return bosses or [specialist.user]


FIRST_CONTACT = TimerSpec(
    name="customers.first_contact",
    policy_key="customers.first_contact_within",
    on_breach="notify",
    warn_at=None,
    notify=specialist_supervisors,
    label_zh="分配后首次沟通时限",
    rule="CUS-7",
)

LIFECYCLE = Lifecycle(
    model="customers.Customer",
    field="assignment_state",
    states={
        "unassigned": ("未分配", "Unassigned"),
        "assigned": ("已分配，待首次沟通", "Assigned, awaiting first contact"),
        "contacted": ("已沟通", "Contacted"),
    },
    initial="unassigned",
    transitions=(
        Transition(
            "assign",
            source=("unassigned", "assigned", "contacted"),
            target="assigned",
            label_zh="分配客服专员",
            label_en="Assign a specialist",
            permission="customer.manage",
            start_timers=("customers.first_contact",),
            rule="CUS-7",
        ),
        Transition(
            "contact",
            source=("assigned",),
            target="contacted",
            label_zh="记录首次沟通",
            label_en="Record the first contact",
            permission="customer.manage",
            stop_timers=("customers.first_contact",),
            rule="CUS-7",
        ),
    ),
    timers=(FIRST_CONTACT,),
    rule="CUS-7",
)

register(LIFECYCLE)
