"""Imports go one way (issue 20, point 7): no import cycle between modules of two apps, and
between whole apps only downwards in ``LAYERS``, except the few upward imports listed in
``UPWARD`` with the reason each one stays.

The graph is built from each module's top-level ``import`` statements (``ast``, nothing is
imported): an edge ``a.x -> b.y`` means loading ``a.x`` loads ``b.y``. Imports inside a function
are left out on purpose: they run later, and the only ones kept are those that break a cycle
(each says so in a comment). A cycle between modules of two apps fails here, so a new one cannot
come in unnoticed.

The app rule reads every import of a module, also those inside functions and under
``TYPE_CHECKING``: an app that needs another one at any moment depends on it.
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


# Bottom to top: an app imports only apps before it. ``core`` imports none of ours; ``portal``
# (settings, URLs, navigation, the pages that show every app together, seed_demo) imports all.
LAYERS = [
    "core",
    "outbox",
    "files",
    "accounts",
    "daycare",
    "audit",
    "consent",
    "diary",
    "photos",
    "absences",
    "messaging",
    "newsletters",
    "retention",
    "push",
    "portal",
]

# The upward imports that stay, and why. Each is a write that must happen in the same
# transaction as the change that causes it, or a check that must be made again at the last
# moment; an event bus or a registry filled at start-up would hide the same dependency (point 1
# of issue 20 removed exactly that machinery).
UPWARD = {
    ("daycare", "audit"): (
        "a guardian asked for, approved or refused is recorded in the access log in the same "
        "transaction (R27); the access log is about children, so audit sits above daycare"
    ),
    ("daycare", "consent"): (
        "a guardianship added or removed changes whose decisions count: the consent projection "
        "is updated in the same transaction (issue 16, consent/projection.py)"
    ),
    ("consent", "photos"): (
        "the consent projection keeps each photo's shareable flag and the nightly verification "
        "recomputes it from the tags: the rule spans consent and photos (issue 16)"
    ),
    ("diary", "photos"): (
        "a parent's diary week shows, per day, the photos that parent may see (R10), and the "
        "memories export shows the diary days beside the photos: the two are read together"
    ),
    ("diary", "push"): "a new diary entry is announced by push after commit (issue 17)",
    ("photos", "push"): "new photos are announced by push after commit (issue 17)",
    ("messaging", "push"): "a new message is announced by push after commit (issue 17)",
    ("newsletters", "push"): "a published news item is announced by push after commit",
    ("retention", "push"): (
        "an answered data request and a child's last weeks of access are announced by push; "
        "push in turn checks each announcement again when it is sent (the item may have been "
        "withdrawn, deleted or read meanwhile), so push sits above the apps it announces for"
    ),
}


def _imported_names(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        # ``from a import b`` loads ``a`` and, when ``b`` is a module, ``a.b``.
        return [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
    return []


def app_imports(path: Path, apps: set[str]) -> set[str]:
    """The apps of ours that ``path`` imports anywhere in its code."""
    return {
        name.split(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        for name in _imported_names(node)
        if name.split(".")[0] in apps
    }


def module_level_imports(path: Path, modules: set[str]) -> set[str]:
    """The modules of ours that ``path`` imports when it is loaded."""
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        for name in _imported_names(node):
            # Loading ``a.b.c`` loads ``a`` and ``a.b`` first.
            parts = name.split(".")
            found.update(
                ".".join(parts[:i])
                for i in range(1, len(parts) + 1)
                if ".".join(parts[:i]) in modules
            )
    return found


def our_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for package in our_packages()
        for path in (ROOT / package).rglob("*.py")
        if not SKIPPED_FOLDERS & set(path.relative_to(ROOT).parts)
    }


def app_graph() -> dict[tuple[str, str], list[str]]:
    """``(app, imported app)``: the modules of ``app`` that import it."""
    apps = our_packages()
    edges: dict[tuple[str, str], list[str]] = {}
    for name, path in sorted(our_modules().items()):
        app = name.split(".")[0]
        for imported in app_imports(path, apps) - {app}:
            edges.setdefault((app, imported), []).append(name)
    return edges


def upward(edges, layers: list[str]) -> dict[tuple[str, str], list[str]]:
    """The imports of an app by an app below it in ``layers``."""
    return {
        (app, imported): modules
        for (app, imported), modules in edges.items()
        if layers.index(imported) > layers.index(app)
    }


def import_graph() -> dict[str, set[str]]:
    paths = our_modules()
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


def test_it_finds_an_app_importing_upwards():
    edges = {("anna", "bram"): ["anna.views"], ("bram", "chris"): ["bram.tasks"]}
    assert upward(edges, ["anna", "chris", "bram"]) == {("anna", "bram"): ["anna.views"]}


def test_it_sees_the_imports_inside_functions_too():
    edges = app_graph()
    # portal/apps.py imports portal.checks inside ``ready()`` only: no other app, but the
    # context processors' imports of the feature apps' parts are seen wherever they are.
    assert "portal.context_processors" in edges[("portal", "retention")]
    assert ("core", "portal") not in edges


def test_it_places_every_app_in_a_layer():
    assert set(LAYERS) == our_packages()


def test_it_imports_apps_only_downwards_except_the_listed_reasons():
    found = upward(app_graph(), LAYERS)
    unexplained = {edge: modules for edge, modules in found.items() if edge not in UPWARD}
    assert unexplained == {}, "an app imports an app above it (LAYERS): " + repr(unexplained)
    # A reason for an import that is gone is removed with it.
    assert set(UPWARD) <= set(found), set(UPWARD) - set(found)


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
