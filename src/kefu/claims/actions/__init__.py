"""The only functions that change 报备 state — one module per concern: `register` (registration,
deposits, ends, the customer's choice, the expiry reminder), `disputes`, `deals`, `reports`,
`daily`; `common` holds their building blocks. What other apps (and the app's own pages and API)
may call is named here."""

from kefu.claims.actions.daily import REPORTING_CLAUSE, flag_missing, previous_working_day, submit_daily
from kefu.claims.actions.deals import SPLIT_CLAUSE, record_deal
from kefu.claims.actions.disputes import (
    CLASH_CLAUSE,
    add_evidence,
    default_outcome,
    raise_dispute,
    rule_dispute,
)
from kefu.claims.actions.plans import require_approved, submit_plan
from kefu.claims.actions.register import (
    GRAB_CLAUSE,
    end_if_lapsed,
    end_now,
    record_choice,
    record_deposit,
    register,
    remind_due,
)
from kefu.claims.actions.reports import (
    archive_report,
    assign_report,
    report_feedback,
    review_report,
    submit_report,
)

__all__ = [
    "CLASH_CLAUSE",
    "GRAB_CLAUSE",
    "REPORTING_CLAUSE",
    "SPLIT_CLAUSE",
    "add_evidence",
    "archive_report",
    "assign_report",
    "default_outcome",
    "end_if_lapsed",
    "end_now",
    "flag_missing",
    "previous_working_day",
    "raise_dispute",
    "record_choice",
    "record_deal",
    "record_deposit",
    "register",
    "remind_due",
    "report_feedback",
    "require_approved",
    "review_report",
    "rule_dispute",
    "submit_daily",
    "submit_plan",
    "submit_report",
]
