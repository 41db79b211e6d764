"""No import cycle between our apps at module level (issue 20, point 7).

The graph is built from each module's top-level ``import`` statements (``ast``, nothing is
imported): an edge ``a.x -> b.y`` means loading ``a.x`` loads ``b.y``. Imports inside a function
are left out on purpose: they run later, and the only ones kept are those that break a cycle
(each says so in a comment). A cycle between modules of two apps fails here, so a new one cannot
come in unnoticed.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_FOLDERS = {"tests", "bench", "migrations", ".venv", "node_modules", "static", "templates"}


def our_packages() -> set[str]:
    return {
        folder.name
        for folder in ROOT.iterdir()
        if (folder / "__init__.py").exists() and folder.name not in SKIPPED_FOLDERS
    }


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_level_imports(path: Path, modules: set[str]) -> set[str]:
    """The modules of ours that ``path`` imports when it is loaded."""
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # ``from a import b`` loads ``a`` and, when ``b`` is a module, ``a.b``.
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        else:
            continue
        for name in names:
            # Loading ``a.b.c`` loads ``a`` and ``a.b`` first.
            parts = name.split(".")
            found.update(
                ".".join(parts[:i])
                for i in range(1, len(parts) + 1)
                if ".".join(parts[:i]) in modules
            )
    return found


def import_graph() -> dict[str, set[str]]:
    packages = our_packages()
    paths = {
        module_name(path): path
        for package in packages
        for path in (ROOT / package).rglob("*.py")
        if not SKIPPED_FOLDERS & set(path.relative_to(ROOT).parts)
    }
    return {name: module_level_imports(path, set(paths)) - {name} for name, path in paths.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

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
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_it_finds_a_cycle_between_two_apps():
    graph = {"anna.views": {"bram.services"}, "bram.services": {"anna.views"}, "chris": set()}
    assert cycles(graph) == [["anna.views", "bram.services"]]


def test_it_sees_the_module_level_imports_of_our_apps():
    graph = import_graph()
    assert "absences.services" in graph["absences.staff_location_views"]
    assert "daycare.models" in graph["absences.services"]


def test_it_has_no_import_cycle_between_apps():
    between_apps = [
        component
        for component in cycles(import_graph())
        if len({name.split(".")[0] for name in component}) > 1
    ]
    assert between_apps == []
