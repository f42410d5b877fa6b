"""The import graph: domains stand on floors, a lower floor never imports a higher one, and nothing loops.

Every import counts, including those inside functions and under ``TYPE_CHECKING``:
a lazy import is still a dependency, only a hidden one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import bo_saas
from bo_saas.server.registry import DOMAIN_MODULES

PACKAGE_ROOT = Path(bo_saas.__file__).parent

# Bottom to top. Folders on one floor do not import each other (the desks stay apart).
FLOORS: list[set[str]] = [
    {"lib"},
    {"audit"},
    {"tenancy"},
    {"identity"},
    {"notify"},
    {"work"},
    {"sla"},
    {"billing", "dataentry", "bookkeeping", "support"},
    {"hr"},
    {"server"},
]
# The one crossing on a floor the design allows: payroll posts through the bookkeeping ledger seam.
ALLOWED_SIDEWAYS = {("hr", "bookkeeping.ledger")}
FLOOR_OF = {folder: level for level, folders in enumerate(FLOORS) for folder in folders}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, module: str) -> set[str]:
    """Every bo_saas module ``module`` imports, resolved to module names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("bo_saas")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if not base.startswith("bo_saas"):
                continue
            for alias in node.names:  # `from bo_saas.work import clocks` imports a module
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in _all_modules() else base)
    return found


_MODULES: dict[str, Path] = {}


def _all_modules() -> dict[str, Path]:
    if not _MODULES:
        _MODULES.update({_module_name(p): p for p in PACKAGE_ROOT.rglob("*.py")})
    return _MODULES


def _graph() -> dict[str, set[str]]:
    modules = _all_modules()
    return {name: {i for i in _imports(path, name) if i in modules and i != name} for name, path in modules.items()}


def _folder(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 else None


def test_every_domain_folder_stands_on_a_floor():
    folders = {p.name for p in PACKAGE_ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders <= set(FLOOR_OF), f"folders with no floor in FLOORS: {sorted(folders - set(FLOOR_OF))}"


def test_no_folder_imports_a_folder_above_it_or_beside_it():
    wrong = set()
    for module, imported in _graph().items():
        source = _folder(module)
        for target_module in imported:
            target = _folder(target_module)
            if source is None or target is None or target == source:
                continue
            sideways = FLOOR_OF[target] == FLOOR_OF[source]
            allowed = any(source == s and target_module.startswith(f"bo_saas.{t}") for s, t in ALLOWED_SIDEWAYS)
            if (FLOOR_OF[target] > FLOOR_OF[source] or sideways) and not allowed:
                wrong.add(f"{module} -> {target_module}")
    assert not wrong, "imports against the floors:\n" + "\n".join(sorted(wrong))


def test_lib_imports_no_domain():
    leaks = {
        f"{m} -> {t}" for m, ts in _graph().items() if _folder(m) == "lib" for t in ts if _folder(t) not in ("lib",)
    }
    assert not leaks, leaks


def _loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components: every component of two or more modules is a loop."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    loops: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                loops.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return loops


def test_no_module_imports_itself_round_a_loop():
    loops = _loops(_graph())
    assert not loops, "modules that import each other round a loop: " + "; ".join(", ".join(c) for c in loops)


def test_the_registry_lists_domains_from_the_lowest_floor_up():
    floors = [FLOOR_OF[module.split(".")[1]] for module in DOMAIN_MODULES]
    assert floors == sorted(floors), DOMAIN_MODULES


def test_the_reader_counts_lazy_and_relative_imports_and_finds_loops(tmp_path):
    """The checker itself can fail: a loop through a lazy import in a function is found."""
    package = tmp_path / "bo_saas" / "work"
    package.mkdir(parents=True)
    (package / "a.py").write_text("def f():\n    from bo_saas.work import b\n")
    (package / "b.py").write_text("from .a import f\n")
    modules = {"bo_saas.work.a": package / "a.py", "bo_saas.work.b": package / "b.py"}
    _MODULES.update(modules)
    try:
        graph = {name: _imports(path, name) & set(modules) for name, path in modules.items()}
    finally:
        for name in modules:
            _MODULES.pop(name)
    assert graph == {"bo_saas.work.a": {"bo_saas.work.b"}, "bo_saas.work.b": {"bo_saas.work.a"}}
    assert _loops(graph) == [["bo_saas.work.a", "bo_saas.work.b"]]
