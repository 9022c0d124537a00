"""Issue 18: the SPEC coverage table (docs/spec-coverage.md) shows no rule without a test, and is current."""

from tests.structure.spec_coverage import TABLE, collect, render


def test_every_spec_rule_has_a_test_naming_it():
    untested = [rule.rule_id for rule in collect() if not rule.tests]
    assert not untested, f"SPEC rules no test names (in its name, def line or docstring): {untested}"


def test_the_coverage_table_is_current():
    assert TABLE.read_text(encoding="utf-8") == render(collect()), (
        "docs/spec-coverage.md is out of date: .venv/bin/python -m tests.structure.spec_coverage"
    )
