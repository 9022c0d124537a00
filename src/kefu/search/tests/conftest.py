# the case fixtures (act, groups, new_case) of the cases app's tests: a search needs real cases
from kefu.cases.tests.conftest import act, groups, new_case  # noqa: F401
