"""The case pages, one module per concern: its views, the forms they parse and their `urlpatterns`
(joined in `cases/urls.py`). Other apps link to them by URL name (`cases:…`), never import them."""
