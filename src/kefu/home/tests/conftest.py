from kefu.web.tests.conftest import login  # noqa: F401 — the same sign-in fixture as the foundation's tests
