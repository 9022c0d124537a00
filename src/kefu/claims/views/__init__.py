"""报备 pages — one module per concern: `register` (my claims, registration, a claim's page, the
department registers), `disputes`, `deals`, `reports`, `daily`; `claims/urls.py` maps them. Other apps
use none of them (the form helpers `attempt` and `remaining_text` live in the web foundation)."""

__all__: list[str] = []
