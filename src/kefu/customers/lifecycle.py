"""CUS-7 first contact as a declared workflow: assignment_state unassigned → assigned → contacted.

`actions.assign` makes the transition `assign`, which starts the timer `customers.first_contact`
(policy `customers.first_contact_within`, "应在一周内与客户进行沟通" — seven calendar days). The specialist
is warned `customers.first_contact_warn_before` before the deadline (working days on the office
calendar: the warning opens the last working day before it). `actions.record_contact` makes the
transition `contact`, which stops the timer. On breach the engine's sweep writes the decision record
(CUS-7), tells the specialist (timer.breach) and escalates to the specialist's supervisors
(escalation.raised).

Who may assign or record a contact depends on the customer's owner *and* its specialist (an
"own"-scope specialist works on customers they do not own), so `actions` checks it before calling
`transition()`; the transitions themselves carry no permission.
"""

from kefu.engine.workflow.declare import EscalationChain, Level, Lifecycle, TimerSpec, Transition, register
from kefu.engine.workflow.resolvers import person

FIRST_CONTACT_CHAIN = "customers.first_contact"


def specialist_supervisors(customer) -> list:
    """The assigned specialist's active supervisors (the specialist when nobody is above them)."""
    specialist = customer.specialist
    if specialist is None:
        return []
    bosses = [e.user for e in specialist.supervisors.select_related("user") if e.status == "active"]
    return bosses or [specialist.user]


CHAIN = EscalationChain(
    FIRST_CONTACT_CHAIN,
    levels=(
        Level("supervisor", "客服专员的上级主管", "The specialist's supervisor", specialist_supervisors),
    ),
    rule="CUS-7",
)

FIRST_CONTACT = TimerSpec(
    name="customers.first_contact",
    policy_key="customers.first_contact_within",
    on_breach="escalate",
    chain=FIRST_CONTACT_CHAIN,
    warn_at=None,
    warn_before="customers.first_contact_warn_before",
    notify=person("specialist"),
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
            fields=("specialist",),
            start_timers=(FIRST_CONTACT.name,),
            rule="CUS-7",
        ),
        Transition(
            "contact",
            source=("assigned",),
            target="contacted",
            label_zh="记录首次沟通",
            label_en="Record the first contact",
            stop_timers=(FIRST_CONTACT.name,),
            rule="CUS-7",
        ),
    ),
    timers=(FIRST_CONTACT,),
    rule="CUS-7",
)

register(LIFECYCLE, CHAIN)
