"""The modules of `src/kefu` as parsed source, for the structure tests (no module is imported)."""

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


@dataclass(frozen=True)
class Module:
    name: str  # dotted: kefu.cases.actions; a package is named by its __init__: kefu.cases
    path: Path | None
    is_package: bool
    tree: ast.Module

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(self.name.split("."))


@cache
def modules() -> dict[str, Module]:
    found = {}
    for path in sorted((SRC / "kefu").rglob("*.py")):
        relative = path.relative_to(SRC).with_suffix("")
        is_package = relative.name == "__init__"
        parts = relative.parts[:-1] if is_package else relative.parts
        name = ".".join(parts)
        found[name] = Module(name, path, is_package, ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return found


def where(module: Module, node: ast.AST) -> str:
    path = module.path.relative_to(SRC.parent) if module.path else module.name  # no path: a test's snippet
    return f"{path}:{node.lineno}"
