"""Writes live in actions (issue 12; docs/architecture.md): no module outside `*/actions*` (an
`actions` package or an `actions*.py` module), migrations, tests, `demo*` loaders and management
commands calls `.save()`, `.create()`, `.update()`, `.delete()`, `bulk_create()`/`bulk_update()`,
`get_or_create()` or `update_or_create()` on a model or a queryset.

Found from the source with `ast`. What counts as a write on a model or queryset:
- `bulk_create`, `bulk_update`, `get_or_create`, `update_or_create`: on anything (ORM-only names);
- `.save()` and `.delete()` with no positional argument (a model's or a form's save, a model's or a
  queryset's delete; `workbook.save(buffer)` and `cache.delete(key)` are not), except `super()`'s;
- `.create(…)` and `.update(…)` on a queryset: a receiver built from `.objects` / a manager, through
  queryset methods, or a local name assigned from one; and `.create(**fields)` with keywords only on
  any receiver (a related manager: `case.comments.create(…)`).
Seed modules (shipped configuration installed at setup, like a data migration) are exempt too.
KERNEL_WRITERS names the kernel's write primitives that actions call (audit rows, decision records) as
"module:function:method"; the test fails on any other write and on a listed one that is gone.
"""

import ast

from tests.structure.source import Module, modules, where

ORM_ONLY = {"bulk_create", "bulk_update", "get_or_create", "update_or_create"}
NO_ARGS = {"save", "delete"}
ON_QUERYSETS = {"create", "update"}
MANAGERS = {"objects", "_default_manager", "_base_manager"}
QUERYSET_METHODS = {
    "all",
    "alias",
    "annotate",
    "defer",
    "distinct",
    "exclude",
    "filter",
    "get_queryset",
    "none",
    "only",
    "order_by",
    "prefetch_related",
    "reverse",
    "select_for_update",
    "select_related",
    "using",
}

# The kernel's write primitives: every action calls them inside its own transaction to leave its audit
# row and its decision records (core.audit appends and the worker's sealer seals; core.decisions writes
# the "为什么" of an automated decision). They are the floor writes stand on, not writes that skipped an
# action. The list is exact: a new write in core.audit/core.decisions must be named here with its reason.
KERNEL_WRITERS: dict[str, str] = {
    "kefu.core.audit:_lock_head:get_or_create": "the sealer's chain head (one row, created once)",
    "kefu.core.audit:record:save": "an action's audit row, appended in the action's transaction",
    "kefu.core.audit:record_many:bulk_create": "a batch action's audit rows (outbound.send_many), one INSERT",
    "kefu.core.audit:seal_batch:save": "the sealer moving the chain head after a batch",
    "kefu.core.decisions:batch:bulk_create": "an action's decision records, one INSERT",
    "kefu.core.decisions:record:save": "an action's decision record",
}


def exempt(module: Module) -> bool:
    parts = module.parts
    return (
        any(part.startswith("actions") for part in parts)
        or "migrations" in parts
        or "tests" in parts
        or parts[-1].startswith("test_")
        or parts[-1].startswith("demo")
        # shipped configuration (roles, calendars, case kinds) installed by `kefu setup` and the data
        # migrations, as a migration would: it exists before any actor does
        or parts[-1] == "seed"
        or ("management" in parts and "commands" in parts)
    )


def _querysetish(node: ast.AST, names: set[str]) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr in MANAGERS or _querysetish(node.value, names)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in QUERYSET_METHODS and _querysetish(node.func.value, names)
    if isinstance(node, ast.Subscript):  # qs[:10]
        return _querysetish(node.value, names)
    return isinstance(node, ast.Name) and node.id in names


def _is_super(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"


def _write(call: ast.Call, names: set[str]) -> str | None:
    """The method name when `call` writes a model or queryset, else None."""
    if not isinstance(call.func, ast.Attribute):
        return None
    method, receiver = call.func.attr, call.func.value
    if method in ORM_ONLY:
        return method
    if method in NO_ARGS and not call.args and not _is_super(receiver):
        return method
    if method in ON_QUERYSETS and (
        _querysetish(receiver, names) or (method == "create" and not call.args and call.keywords)
    ):
        return method
    return None


class _Finder(ast.NodeVisitor):
    def __init__(self, module: Module):
        self.module = module
        self.scope: list[str] = []
        self.names: list[set[str]] = [set()]
        self.found: dict[str, list[str]] = {}

    def _function(self, node):
        self.scope.append(node.name)
        self.names.append(set())
        self.generic_visit(node)
        self.names.pop()
        self.scope.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _function

    def visit_Assign(self, node: ast.Assign):
        if _querysetish(node.value, self.names[-1]):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    self.names[-1].add(target.id)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call):
        method = _write(node, self.names[-1])
        if method is not None:
            key = f"{self.module.name}:{'.'.join(self.scope) or '<module>'}:{method}"
            self.found.setdefault(key, []).append(where(self.module, node))
        self.generic_visit(node)


def writes_outside_actions() -> dict[str, list[str]]:
    """{"module:function:method": [where, …]} for every write found outside actions."""
    found: dict[str, list[str]] = {}
    for module in modules().values():
        if not exempt(module):
            finder = _Finder(module)
            finder.visit(module.tree)
            found.update(finder.found)
    return found


def _finds(source: str) -> set[str]:
    finder = _Finder(Module("kefu.x.views", None, False, ast.parse(source)))
    finder.visit(finder.module.tree)
    return {key.split(":", 1)[1] for key in finder.found}


def test_the_finder_tells_model_writes_from_other_calls():
    assert _finds(
        "def f(case, qs, form, d, workbook, cache):\n"
        "    case.save(update_fields=['state'])\n"
        "    Case.objects.filter(pk=1).update(state='x')\n"
        "    rows = Case.objects.select_for_update().filter(pk=1)\n"
        "    rows.update(state='y')\n"
        "    case.comments.create(body='x')\n"
        "    Case.objects.create(title='t')\n"
        "    Tag.objects.get_or_create(name='t')\n"
        "    form.save()\n"
        "    case.delete()\n"
        "    d.update({'a': 1})\n"
        "    d.update(a=1)\n"
        "    workbook.save(buffer)\n"
        "    cache.delete('key')\n"
        "    super().save()\n"
        "    hashlib.sha256().update(b'x')\n"
    ) == {"f:save", "f:update", "f:create", "f:get_or_create", "f:delete"}
    assert _finds("def g(d):\n    d.update(a=1)\n    d.update({'b': 2})\n") == set()


def test_exempt_modules():
    def named(name, is_package=False):
        return Module(name, None, is_package, ast.parse(""))

    assert exempt(named("kefu.cases.actions"))
    assert exempt(named("kefu.cases.actions_routing"))
    assert exempt(named("kefu.cases.actions", True))
    assert exempt(named("kefu.customers.governance.actions.merges"))
    assert exempt(named("kefu.cases.migrations.0001_initial"))
    assert exempt(named("kefu.cases.tests.test_core"))
    assert exempt(named("kefu.cases.demo"))
    assert exempt(named("kefu.demo"))
    assert exempt(named("kefu.core.management.commands.seal"))
    assert not exempt(named("kefu.cases.views"))
    assert exempt(named("kefu.org.seed"))
    assert not exempt(named("kefu.core.audit"))
    assert not exempt(named("kefu.org.seeding"))


def test_no_new_write_outside_actions():
    found = writes_outside_actions()
    new = sorted(set(found) - set(KERNEL_WRITERS))
    gone = sorted(set(KERNEL_WRITERS) - set(found))
    problems = [
        f"a write outside actions (call an action instead): {key}  ({', '.join(found[key])})" for key in new
    ]
    problems += [f"a KERNEL_WRITERS entry no longer writes — remove it: {key}" for key in gone]
    assert not problems, "\n".join(problems)
