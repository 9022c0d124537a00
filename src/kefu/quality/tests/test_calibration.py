"""QA-1 calibration: several inspectors score the same case; the spread per item and of the total."""

from decimal import Decimal

import pytest

from kefu.core.errors import Invalid, NotFound
from kefu.quality.actions import calibration, inspections
from kefu.quality.models import Inspection, InspectionState
from kefu.quality.queries import calibration as queries
from kefu.quality.queries import inspections as inspection_queries

pytestmark = pytest.mark.django_db


def test_calibration_spread_per_item_and_total_QA1(demo, act, closed_case, full_marks):
    case = closed_case()
    session = calibration.open_session(
        act("zhouqiang"), case, inspectors=[demo["zhouqiang"], demo["tangning"]], title="三月校准"
    )
    rows = {i.inspector.user.username: i for i in Inspection.objects.filter(calibration=session)}
    assert set(rows) == {"zhouqiang", "tangning"} and all(i.agent == demo["zhaomin"] for i in rows.values())
    inspections.score(act("zhouqiang"), rows["zhouqiang"], scores=full_marks(rows["zhouqiang"]))
    data = queries.spread(queries.session(act("tangning"), session.pk))
    assert data["total_spread"] == Decimal(0) and len(data["scored"]) == 1
    inspections.score(act("tangning"), rows["tangning"], scores=full_marks(rows["tangning"], 问题解决=6))
    data = queries.spread(queries.session(act("zhouqiang"), session.pk))
    spread = {row["item"].name: row["spread"] for row in data["items"]}
    assert spread["问题解决"] == Decimal(4) and spread["十字服务用语"] == Decimal(0) and spread["六不准"] == 0
    assert data["total_spread"] == Decimal("10.0")  # 25 × 4/10
    with pytest.raises(Invalid):
        inspections.publish(act("zhouqiang"), rows["zhouqiang"])  # calibration scores are never published
    assert rows["zhouqiang"].state == InspectionState.ASSIGNED  # (the object as created)
    # calibration results never reach the agent nor the KPI query
    assert not list(inspection_queries.my_results(act("zhaomin")))


def test_calibration_needs_two_inspectors_of_the_case_QA1(demo, act, closed_case):
    case = closed_case()
    with pytest.raises(Invalid):
        calibration.open_session(act("zhouqiang"), case, inspectors=[demo["zhouqiang"]])
    with pytest.raises(Invalid):  # 李娜 holds no quality.inspect
        calibration.open_session(act("zhouqiang"), case, inspectors=[demo["zhouqiang"], demo["lina"]])
    with pytest.raises(NotFound):
        queries.session(act("zhaomin"), 1)
