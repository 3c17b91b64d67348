"""The package dependency picture: features depend downward only, and no two modules import each other.

Every import counts, including those inside functions. The layering is defined here, once; a new
feature package must be placed in it (the test fails until it is).
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "coordapp"

# Lowest first. A module may import its own layer's packages and the layers below, never above.
# Meetings and issues share a layer (DESIGN: "core, auth, elections, stakeholders, audit below
# meetings and issues"): an issue is raised at a meeting, a meeting lists the issues raised at it.
LAYERS = (
    # core and the shared plumbing every feature uses
    {"core", "extensions", "config", "database", "forms", "i18n", "celery_app"},
    {"auth"},
    {"audit"},  # the trail of every audited model: reads them through the mapper registry, imports none
    {"elections"},
    {"stakeholders"},
    {"meetings", "issues"},
    {"rollups"},  # per-group counts of the issues, kept by every write; the board reads them
    {"commitments"},  # agreed items of meetings and issues
    {"files"},  # attachments of meetings, issues and commitments, and the file store reports keep PDFs in
    {"reminders"},
    {"reports"},  # accountability reports: the scorecard counts what they published
    {"dashboard"},
    {"public", "notifications", "mailin", "ops"},
)
# The application's wiring may import any feature; no feature imports it.
WIRING = {"__init__", "cli", "demo", "worker", "templating", "security"}
LEVEL = {name: level for level, names in enumerate(LAYERS) for name in names}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top(module: str) -> str:
    """Return the feature (or top-level module) of a coordapp module: coordapp.issues.forms -> issues."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path, module: str) -> set[str]:
    """Return every coordapp module path imports, at the top or inside a function."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return {name for name in found if name == "coordapp" or name.startswith("coordapp.")}


def _registration(module: str, target: str) -> bool:
    """Tell whether this is a feature package loading its own modules (init_app, after bp exists).

    A feature's ``__init__`` holds the blueprint its views import; it imports the views inside
    ``init_app``, once the blueprint exists. That one pair is the documented exception.
    """
    return module.count(".") == 1 and target.startswith(module + ".")


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for module, path in modules.items():
        targets = set()
        for name in _imports(path, module):
            while name not in modules and "." in name:  # "from coordapp.x import function" names a module's member
                name = name.rpartition(".")[0]
            if name in modules and name != module and not _registration(module, name):
                targets.add(name)
        graph[module] = targets
    return graph


def layering_violations(graph: dict[str, set[str]]) -> list[str]:
    """Return 'a -> b' for each import of a higher feature (or of the wiring) by a lower one."""
    found = []
    for module, targets in graph.items():
        source = _top(module)
        if source in WIRING:
            continue
        for target in targets:
            feature = _top(target)
            if feature in WIRING or LEVEL[feature] > LEVEL[source]:
                found.append(f"{module} -> {target}")
    return sorted(found)


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the groups of modules that import each other, directly or through others (Tarjan)."""
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

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
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_every_feature_is_placed_in_the_layering():
    features = {_top(module) for module in _graph()}
    unplaced = features - set(LEVEL) - WIRING
    assert not unplaced, f"place these in LAYERS or WIRING: {sorted(unplaced)}"


def test_features_depend_downward_only():
    violations = layering_violations(_graph())
    assert not violations, "a lower feature imports a higher one:\n" + "\n".join(violations)


def test_no_modules_import_each_other():
    cycles = import_cycles(_graph())
    assert not cycles, "import cycles:\n" + "\n".join(" <-> ".join(group) for group in cycles)


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        (
            {"coordapp.elections.services": {"coordapp.issues.models"}},
            ["coordapp.elections.services -> coordapp.issues.models"],
        ),
        ({"coordapp.core.views": {"coordapp.cli"}}, ["coordapp.core.views -> coordapp.cli"]),
        ({"coordapp.issues.forms": {"coordapp.meetings.models", "coordapp.stakeholders.models"}}, []),
        ({"coordapp.demo.services": {"coordapp.dashboard.models"}}, []),
    ],
)
def test_the_layering_rule_itself(graph, expected):
    assert layering_violations(graph) == expected


def test_a_cycle_is_found_through_a_third_module():
    graph = {
        "coordapp.reminders.sweep": {"coordapp.reminders.outbox"},
        "coordapp.reminders.outbox": {"coordapp.reminders.tasks"},
        "coordapp.reminders.tasks": {"coordapp.reminders.sweep"},
        "coordapp.core.time": set(),
    }
    assert import_cycles(graph) == [
        ["coordapp.reminders.outbox", "coordapp.reminders.sweep", "coordapp.reminders.tasks"]
    ]


def test_no_comment_points_at_a_file_outside_the_repository():
    root = PACKAGE.parent
    files = [
        *root.glob("coordapp/**/*.py"),
        *root.glob("tests/*.py"),
        *root.glob("templates/**/*.html"),
        root / "README.md",
    ]
    outside = [
        str(path.relative_to(root))
        for path in files
        if "REFERENCE.md" in path.read_text() or "/work/" in path.read_text()
    ]
    outside = [name for name in outside if name != "tests/test_architecture.py"]
    assert not outside, f"these cite files the repository does not have (use docs/): {outside}"
