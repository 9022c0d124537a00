"""Calibration sessions under /api/v1/quality/calibrations (QA-1), with the spread."""

from ninja import Router, Status

from kefu.cases.queries import intake as case_queries
from kefu.core.http_support import actor
from kefu.org.models import Employee
from kefu.quality.actions import calibration as actions
from kefu.quality.http.schemas import CalibrationIn, CalibrationOut
from kefu.quality.queries import calibration as queries

router = Router(tags=["quality"])


def _out(found):
    data = queries.spread(found)
    found.inspection_ids = [i.pk for i in data["scored"]]
    found.inspector_names = [i.inspector.name for i in data["scored"]]
    found.spread_items = [
        {
            "item_id": row["item"].pk,
            "name": row["item"].name,
            "scores": [
                (1 if c.violated else 0)
                if (c is not None and row["item"].fatal)
                else (c.score if c else None)
                for c in row["cells"]
            ],
            "spread": row["spread"],
        }
        for row in data["items"]
    ]
    found.spread_totals = [i.total for i in data["scored"]]
    found.spread_total = data["total_spread"]
    return found


@router.get("", response=list[CalibrationOut], summary="Calibration sessions of my scope")
def list_sessions(request):
    return [_out(s) for s in queries.sessions(actor(request)).select_related("scorecard")[:50]]


@router.get(
    "/{session_id}", response=CalibrationOut, summary="One session with the spread per item and total"
)
def get_session(request, session_id: int):
    return _out(queries.session(actor(request), session_id))


@router.post("", response={201: CalibrationOut}, summary="Open a calibration session on a case")
def open_session(request, payload: CalibrationIn):
    me = actor(request)
    case = case_queries.case(me, payload.case_id)
    people = list(Employee.objects.filter(pk__in=payload.inspector_ids))
    return Status(201, _out(actions.open_session(me, case, inspectors=people, title=payload.title)))
