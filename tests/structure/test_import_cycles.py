"""No import cycle between kefu modules (issue 12); the foundations import nothing above them.

The graph is built from the source with `ast`, not by importing: every `import` statement of every
module under src/kefu — top-level and function-local alike — is an edge to the kefu module it loads
(relative imports resolved; `from pkg import name` is an edge to the module `pkg.name` when there is
one, else to the package `pkg` itself). A strongly connected component of more than one module is a
cycle. KNOWN_CYCLES lists the components that exist today; it may only shrink: the test fails on a new
or grown component, and also when a listed one changed or is gone, so the list stays true.

The same graph keeps the two foundations at the bottom (docs/architecture.md): the kernel `core` imports
no other kefu app, and the web foundation `web` none but `core` — what they need from the apps above
(the request's Actor, grants, the employee of a user) is handed in through `core.provided`.
"""

import ast
from collections import defaultdict

from tests.structure.source import Module, modules, where

# Issue 12 broke every cycle: none may come back. (Kept as a set so that a cycle can be reported with
# the modules it joins; never add to it — break the cycle instead.)
KNOWN_CYCLES: set[frozenset[str]] = set()

# foundation app: the kefu apps its modules may import (tests and migrations aside: migrations are history)
FOUNDATIONS = {"core": {"core"}, "web": {"core", "web"}}


def _resolve(module: Module, node: ast.ImportFrom) -> str | None:
    """The absolute module name a `from … import …` statement reads from."""
    if node.level == 0:
        return node.module
    package = module.parts if module.is_package else module.parts[:-1]
    if node.level > 1:
        package = package[: len(package) - (node.level - 1)]
    return ".".join((*package, node.module)) if node.module else ".".join(package)


def import_graph() -> dict[str, dict[str, list[str]]]:
    """{module: {imported kefu module: [where, …]}}."""
    known = modules()
    graph: dict[str, dict[str, list[str]]] = {name: defaultdict(list) for name in known}
    for module in known.values():
        seen = set()
        for node in ast.walk(module.tree):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(module, node)
                if base is None:
                    continue
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                    for alias in node.names
                ]
            for target in targets:
                place = where(module, node)
                if target in known and target != module.name and (target, place) not in seen:
                    seen.add((target, place))
                    graph[module.name][target].append(place)
    return graph


def strongly_connected(graph) -> list[frozenset[str]]:
    """Tarjan's algorithm, iterative; components of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))
    return found


def _describe(graph, component: frozenset[str]) -> str:
    lines = [f"  cycle of {len(component)} modules:"]
    for name in sorted(component):
        for target, places in sorted(graph[name].items()):
            if target in component:
                lines.append(f"    {name} → {target}  ({', '.join(places)})")
    return "\n".join(lines)


def test_relative_imports_are_resolved():
    tree = ast.parse("from . import a\nfrom .b import c\nfrom .. import d\nfrom ..e.f import g")
    nodes = [n for n in tree.body if isinstance(n, ast.ImportFrom)]
    in_module = Module("kefu.cases.views.intake", None, False, tree)
    in_package = Module("kefu.cases.views", None, True, tree)
    assert [_resolve(in_module, n) for n in nodes] == [
        "kefu.cases.views",
        "kefu.cases.views.b",
        "kefu.cases",
        "kefu.cases.e.f",
    ]
    assert [_resolve(in_package, n) for n in nodes] == [
        "kefu.cases.views",
        "kefu.cases.views.b",
        "kefu.cases",
        "kefu.cases.e.f",
    ]


def test_the_graph_sees_function_local_and_submodule_imports():
    graph = import_graph()
    assert (
        "kefu.core.clock" in graph["kefu.claims.actions.register"]
    )  # from kefu.core import clock: the submodule …
    assert "kefu.core" not in graph["kefu.claims.actions.register"]  # … not the package
    assert graph["kefu.engine.workflow.api"].keys() >= {
        "kefu.engine.workflow.actions.transitions",
        "kefu.engine.workflow.queries",
        "kefu.engine.workflow.actions.timers",
    }
    assert "kefu.engine.workflow.actions.deadlines" in graph["kefu.engine.workflow.apps"]  # in ready()


def test_no_new_import_cycle():
    graph = import_graph()
    cycles = set(strongly_connected(graph))
    problems = []
    for component in sorted(cycles - KNOWN_CYCLES, key=sorted):
        larger = [known for known in KNOWN_CYCLES if component < known]
        if larger:
            problems.append("a known cycle shrank — replace its KNOWN_CYCLES entry by this one:")
        else:
            problems.append("a new import cycle (break it: building blocks below, imports at the top):")
        problems.append(_describe(graph, component))
    for gone in sorted(KNOWN_CYCLES - cycles, key=sorted):
        if any(component < gone for component in cycles):
            continue  # reported above as shrunk
        problems.append(f"a KNOWN_CYCLES entry no longer exists — remove it: {sorted(gone)}")
    assert not problems, "\n".join(problems)


def _app(name: str) -> str:
    """The kefu app (or project module) a module belongs to: kefu.cases.views.intake → cases."""
    return name.split(".")[1] if name.count(".") else name


def _upward_imports(graph) -> list[str]:
    found = []
    for name, targets in sorted(graph.items()):
        parts = name.split(".")
        allowed = FOUNDATIONS.get(_app(name))
        if allowed is None or "tests" in parts or "migrations" in parts:
            continue
        for target, places in sorted(targets.items()):
            if _app(target) not in allowed:
                found.append(f"  {name} → {target}  ({', '.join(places)})")
    return found


def test_an_upward_import_from_a_foundation_is_seen():
    graph = {
        "kefu.web.support": {"kefu.core.actor": ["a"], "kefu.org.access": ["b"]},
        "kefu.web.tests.test_nav": {"kefu.org.models": ["c"]},
        "kefu.core.migrations.0003_x": {"kefu.engine.policy.pack": ["d"]},
        "kefu.core.queries": {"kefu.web.support": ["e"]},
        "kefu.org.views": {"kefu.web.support": ["f"]},
    }
    assert _upward_imports(graph) == [
        "  kefu.core.queries → kefu.web.support  (e)",
        "  kefu.web.support → kefu.org.access  (b)",
    ]


def test_the_foundations_import_no_app_above_them():
    problems = _upward_imports(import_graph())
    assert not problems, (
        "core imports no other kefu app and web none but core; hand what they need in through "
        "core.provided (from the app's ready()):\n" + "\n".join(problems)
    )
