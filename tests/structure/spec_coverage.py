"""The SPEC coverage table (docs/spec-coverage.md): every rule of docs/spec/SPEC.md → the product code that
names it → the tests that name it.

A test names a rule in its function name (`test_clm11_…`), on its `def` line or signature (`# CLM-11`),
or in its docstring. Product code names a rule in a comment or docstring beside what enforces it.
`test_spec_coverage.py` fails when a rule has no test or the committed table is out of date; write it
again with:

    .venv/bin/python -m tests.structure.spec_coverage
"""

import ast
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "docs" / "spec" / "SPEC.md"
TABLE = ROOT / "docs" / "spec-coverage.md"
RULE_LINE = re.compile(r"^- ([A-Z]+-\d+)\b(.*)")
SHOWN = 3  # code files and tests listed per rule


@dataclass
class Rule:
    rule_id: str
    summary: str
    code: dict[str, int] = field(default_factory=dict)  # path → mentions
    tests: list[str] = field(default_factory=list)  # path::function


def rules() -> list[Rule]:
    found = []
    for line in SPEC.read_text(encoding="utf-8").splitlines():
        match = RULE_LINE.match(line)
        if match:
            summary = match.group(2).strip(" :—-")
            found.append(Rule(match.group(1), summary[:70] + ("…" if len(summary) > 70 else "")))
    return found


def _finder(table: list[Rule]):
    """text → the rule ids it names. One pass per text: "CLM-1" is not "CLM-11"; in a function name an id
    is lower case without the dash (`test_clm11_…`)."""
    prefixes = sorted({rule.rule_id.split("-")[0] for rule in table})
    known = {rule.rule_id for rule in table}
    upper = re.compile(rf"(?<![A-Za-z0-9])({'|'.join(prefixes)})-(\d+)(?!\d)")
    lower = re.compile(rf"(?<![a-z0-9])({'|'.join(p.lower() for p in prefixes)})(\d+)(?![0-9])")

    def find(text: str) -> list[str]:
        ids = [f"{p}-{n}" for p, n in upper.findall(text)] + [
            f"{p.upper()}-{n}" for p, n in lower.findall(text)
        ]
        return [i for i in ids if i in known]

    return find


def _is_test_file(path: Path) -> bool:
    return path.name.startswith("test_") and path.suffix == ".py"


def _sources() -> tuple[list[Path], list[Path]]:
    code, tests = [], []
    for path in sorted((ROOT / "src").rglob("*.py")) + sorted((ROOT / "tests").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        if _is_test_file(path):
            tests.append(path)
        elif "tests" not in path.parts and path.is_relative_to(ROOT / "src"):
            code.append(path)
    return code, tests


def _test_texts(path: Path) -> list[tuple[str, str]]:
    """(function name, the text that may name its rules) for each test function of the file."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    module_doc = ast.get_docstring(ast.parse(source)) or ""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
            signature = "\n".join(lines[node.lineno - 1 : node.body[0].lineno - 1])
            text = f"{node.name}\n{signature}\n{ast.get_docstring(node) or ''}"
            found.append((node.name, text + "\n" + _module_rules(module_doc)))
    return found


def _module_rules(doc: str) -> str:
    """A module docstring naming rules on a line of its own ("# ORG-3 ORG-4") covers its tests."""
    return "\n".join(line for line in doc.splitlines() if line.startswith("# "))


@cache
def collect() -> list[Rule]:
    table = rules()
    find = _finder(table)
    code, tests = _sources()
    mentions: dict[str, dict[str, int]] = defaultdict(dict)
    for path in code:
        for rule_id in find(path.read_text(encoding="utf-8")):
            where = str(path.relative_to(ROOT))
            mentions[rule_id][where] = mentions[rule_id].get(where, 0) + 1
    named: dict[str, list[str]] = defaultdict(list)
    for path in tests:
        for name, text in _test_texts(path):
            for rule_id in dict.fromkeys(find(text)):
                named[rule_id].append(f"{path.relative_to(ROOT)}::{name}")
    for rule in table:
        rule.code = mentions.get(rule.rule_id, {})
        rule.tests = named.get(rule.rule_id, [])
    return table


def render(table: list[Rule]) -> str:
    untested = [r.rule_id for r in table if not r.tests]
    out = [
        "# SPEC coverage: rule → code → tests",
        "",
        "Written by `.venv/bin/python -m tests.structure.spec_coverage` from docs/spec/SPEC.md and the source;",
        "`tests/structure/test_spec_coverage.py` fails when a rule has no test or this file is out of date.",
        f"{len(table)} rules; rules without a test: {', '.join(untested) or 'none'}. Each row lists the files",
        f"naming the rule most often (at most {SHOWN}) and the first tests naming it, with the number of each.",
        "",
        "| Rule | What | Code (files) | Tests |",
        "|---|---|---|---|",
    ]
    for rule in table:
        files = sorted(rule.code.items(), key=lambda kv: (-kv[1], kv[0]))
        code = "<br>".join(f"`{path}`" for path, _ in files[:SHOWN]) or "—"
        if len(files) > SHOWN:
            code += f"<br>(+{len(files) - SHOWN})"
        tests = "<br>".join(f"`{t}`" for t in rule.tests[:SHOWN]) or "**none**"
        if len(rule.tests) > SHOWN:
            tests += f"<br>(+{len(rule.tests) - SHOWN}, {len(rule.tests)} in all)"
        out.append(f"| {rule.rule_id} | {rule.summary.replace('|', '/')} | {code} | {tests} |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    TABLE.write_text(render(collect()), encoding="utf-8")
    print(f"wrote {TABLE.relative_to(ROOT)}")
