"""The toy's periodic task (WF-5): every Monday a review ticket for the team's supervisor."""

from kefu.org.models import Employee
from tests.toy.models import Ticket


def weekly_review(run) -> None:
    supervisor = Employee.objects.filter(role_assignments__role__code="cs_supervisor").order_by("pk").first()
    if supervisor is not None:
        Ticket.objects.create(title=f"周例会 {run.period_key}", unit=supervisor.unit, owner=supervisor)
