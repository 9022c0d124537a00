import pytest

from kefu.cases import actions
from kefu.cases.models import Case
from kefu.cases.tests.conftest import act, groups, new_case  # noqa: F401  the cases fixtures, reused
from kefu.core import clock
from kefu.quality.actions import sampling
from kefu.quality.models import Inspection
from kefu.quality.queries.sampling import week_of


@pytest.fixture
def closed_case(new_case, act):  # noqa: F811
    """closed_case(by="zhaomin", satisfied=True, **fields) → a consultation answered and closed by its owner."""

    def make(by="zhaomin", satisfied=True, **fields):
        case = new_case(by=by, **fields)
        owner = act(case.owner.user.username)
        case = actions.act(owner, case, "answer", data={"solution": "已查询答复", "customer_reply": "已答复"})
        case = actions.act(owner, case, "close", data={"satisfied": True})
        if not satisfied:  # a revisit found the customer unhappy after closure (test data)
            Case.objects.filter(pk=case.pk).update(satisfied=False)
            case.refresh_from_db()
        return case

    return make


@pytest.fixture
def task(closed_case, demo):
    """An inspection of a closed case of 赵敏, assigned to 周强 by the week's draw."""
    case = closed_case()
    sampling.draw(week_of(clock.today()))
    return Inspection.objects.get(case=case)


@pytest.fixture
def full_marks():
    """full_marks(inspection, **overrides by item name) → the scores dict giving every item its maximum."""

    def make(inspection, violated=(), **by_name):
        scores = {}
        for item in inspection.scorecard.items.all():
            if item.fatal:
                scores[item.pk] = {"violated": item.name in violated, "comment": ""}
            else:
                scores[item.pk] = {"score": by_name.get(item.name, item.max_score), "comment": "好"}
        return scores

    return make
