from kefu.cases.tests.conftest import act, groups, new_case  # noqa: F401  the cases fixtures, reused
