"""Discipline ledger API under /api/v1/discipline (DIS-1, CLM-7): list with filters, record a proposal
by hand (HR), confirm or reject. Reads are scoped by `discipline.view`, writes go through the actions."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from kefu.core.http_support import Pagination, actor
from kefu.discipline import actions, catalogue, queries
from kefu.discipline.schemas import (
    LedgerFilters,
    OffenceOut,
    ProposalDetailOut,
    ProposalIn,
    ProposalOut,
    ProposalReasonIn,
)
from kefu.org import access

router = Router(tags=["discipline"])


@router.get("/offences", response=list[OffenceOut], summary="The offence catalogue and its ladders")
def offences(request):
    access.require(actor(request), "discipline.view")
    return [
        {
            "code": o.code,
            "name_zh": o.name_zh,
            "name_en": o.name_en,
            "rule": o.rule,
            "ladder": o.code in catalogue.LADDERS,
            "per_customer": o.code in catalogue.PER_CUSTOMER,
            "measures": [] if o.code in catalogue.LADDERS else [str(m) for m in catalogue.FREE_MEASURES],
        }
        for o in catalogue.CATALOGUE.values()
    ]


@router.get("", response=list[ProposalOut], summary="Penalty proposals in my scope, with filters")
@paginate(Pagination)
def list_proposals(request, filters: Query[LedgerFilters]):
    me = actor(request)
    access.require(me, "discipline.view")
    return queries.ledger(me, **filters.model_dump())


@router.post("", response={201: ProposalOut}, summary="HR records a penalty proposal (the ladder sets it)")
def create_proposal(request, payload: ProposalIn):
    me = actor(request)
    access.require(me, "discipline.confirm")
    proposal = actions.record_proposal(
        me,
        queries.employee(me, payload.employee_id),
        payload.offence,
        evidence=payload.evidence,
        quantity=payload.quantity,
        measure=payload.measure,
    )
    return Status(201, queries.proposal(me, proposal.pk))


@router.get("/{proposal_id}", response=ProposalDetailOut, summary="One proposal with its decision record")
def get_proposal(request, proposal_id: int):
    return queries.proposal(actor(request), proposal_id)


@router.post("/{proposal_id}/confirm", response=ProposalOut, summary="HR confirms a proposal (DIS-1)")
def confirm(request, proposal_id: int, payload: ProposalReasonIn):
    me = actor(request)
    return actions.decide(me, queries.proposal(me, proposal_id), confirm=True, reason=payload.reason)


@router.post("/{proposal_id}/reject", response=ProposalOut, summary="HR rejects a proposal (DIS-1)")
def reject(request, proposal_id: int, payload: ProposalReasonIn):
    me = actor(request)
    return actions.decide(me, queries.proposal(me, proposal_id), confirm=False, reason=payload.reason)
