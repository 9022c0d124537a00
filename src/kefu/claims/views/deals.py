"""The deal form's post on a claim's page (CLM-9): the signed deal with its split; a split that is
not 100% re-renders the claim's page as typed."""

from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.claims import actions
from kefu.claims.queries import people
from kefu.claims.queries import register as queries
from kefu.claims.views.register import detail_context, share_rows
from kefu.org.queries import employee_named
from kefu.web.support import actor, attempt, web_view


@require_POST
@web_view
def deal(request, pk: int):
    """CLM-9: record the signed deal with its split; a split that is not 100% re-renders as typed."""
    me = actor(request)
    claim = queries.claim(me, pk)
    post = request.POST
    pairs = [
        (e.strip(), p.strip())
        for e, p in zip(post.getlist("share_employee"), post.getlist("share_percent"), strict=False)
        if e.strip() or p.strip()
    ]
    form = {
        "amount": post.get("amount", ""),
        "agreed_by": post.get("agreed_by", ""),
        "note": post.get("note", ""),
        "rows": share_rows(pairs),
    }

    def run():
        actions.record_deal(
            me,
            claim,
            amount=form["amount"],
            agreed_by=employee_named(form["agreed_by"], "agreed_by", **people.NAMED),
            shares=[(employee_named(e, "shares", **people.NAMED), p or "0") for e, p in pairs],
            note=form["note"],
        )

    return attempt(
        request,
        run,
        success=_("Deal recorded; the claim is signed."),
        then=f"/claims/{pk}/",
        page=lambda error: (
            "claims/detail.html",
            detail_context(me, claim, deal_form=form, deal_error=error),
        ),
    )
