"""报备 pages — one module per concern: `register` (my claims, registration, a claim's page, the
department registers), `disputes`, `deals`, `reports`, `daily`; `claims/urls.py` maps them.
`attempt` and `remaining_text` are the form helpers other apps' pages use today (issue 12 moves
them into the web foundation)."""

from kefu.claims.views.register import attempt, remaining_text

__all__ = ["attempt", "remaining_text"]
