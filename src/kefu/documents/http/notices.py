"""Notices under /api/v1/documents/notices (DOC-1)."""

from datetime import datetime

from ninja import Router, Schema, Status
from pydantic import Field

from kefu.core.http_support import StrictSchema, actor
from kefu.documents.actions import notices as actions
from kefu.documents.queries import common
from kefu.documents.queries import notices as queries

router = Router(tags=["documents"])


class NoticeOut(Schema):
    id: int
    unit_id: int
    unit_name: str = Field(validation_alias="unit.name")
    kind: str  # announcement (公告) or notice (通知)
    title: str
    body: str
    published_at: datetime
    to_unit_ids: list[int] = Field(default_factory=list)


class NoticeIn(StrictSchema):
    unit_id: int
    kind: str = "notice"
    title: str = Field(max_length=200)
    body: str = Field(max_length=20000)
    to_unit_ids: list[int] = Field(default_factory=list, max_length=50)


def _out(notice):
    notice.to_unit_ids = sorted(notice.to_units.values_list("pk", flat=True))
    return notice


@router.get("", response=list[NoticeOut], summary="Notices to my units and to the units I oversee")
def list_notices(request):
    rows = list(queries.notices(actor(request)).prefetch_related("to_units")[:200])
    for row in rows:
        row.to_unit_ids = sorted(u.pk for u in row.to_units.all())
    return rows


@router.post("", response={201: NoticeOut}, summary="Publish a notice to units (DOC-1)")
def publish(request, payload: NoticeIn):
    me = actor(request)
    notice = actions.publish(
        me,
        unit=common.unit_named(payload.unit_id, "unit_id"),
        kind=payload.kind,
        title=payload.title,
        body=payload.body,
        to_units=[common.unit_named(pk, "to_unit_ids") for pk in payload.to_unit_ids],
    )
    return Status(201, _out(notice))


@router.get("/{notice_id}", response=NoticeOut, summary="One notice")
def get_notice(request, notice_id: int):
    return _out(queries.notice(actor(request), notice_id))
