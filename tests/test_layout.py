"""The package layout reads as the pipeline: each layer imports only from layers below it.

Every import inside ``skdsa/`` (at module level or inside a function) is read with
``ast``. A new package or top-level module must be given a layer here, and a new
upward import or import cycle fails the suite.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "skdsa"

# Bottom first. Units of one layer do not import each other.
LAYERS = [
    {"exceptions", "utils"},
    {"recordings"},
    {"embedding", "preprocessing", "tasks"},
    {"dmd", "metrics", "zoo"},
    {"adapters", "comparison", "datasets"},
    {"stats"},
    {"plotting"},
    {"demo"},
    {"__main__"},
]
LAYER = {unit: rank for rank, units in enumerate(LAYERS) for unit in units}

# The one accepted upward import: a convenience method reaching up, inside the method.
ALLOWED_UPWARD = {("skdsa.comparison._dsa", "skdsa.stats")}


def module_name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def unit(module):
    """The top-level package or module of skdsa that ``module`` belongs to."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def resolve(module, node):
    """The skdsa modules that an import statement in ``module`` loads."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name.split(".")[0] == "skdsa"]
    if node.level == 0:
        base = node.module or ""
        if base.split(".")[0] != "skdsa":
            return []
    else:
        package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{node.module}" if node.module else package
    # "from package import submodule" loads the submodule too.
    return [base] + [f"{base}.{alias.name}" for alias in node.names
                     if f"{base}.{alias.name}" in MODULES]


def imports(module):
    """``(imported module, at module level?)`` for every skdsa import of ``module``."""
    tree = ast.parse(MODULES[module].read_text())
    top_level = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found += [(name, id(node) in top_level) for name in resolve(module, node)]
    return found


def test_every_unit_has_a_layer():
    units = {unit(module) for module in MODULES} - {"__init__"}
    assert units <= set(LAYER), f"give these a layer in LAYERS: {sorted(units - set(LAYER))}"


def test_the_walk_sees_the_imports():
    # Guard against a walk that silently finds nothing.
    found = dict(imports("skdsa.comparison._dsa"))
    assert "skdsa.dmd" in found and "skdsa.metrics._validation" in found
    assert found["skdsa.stats"] is False  # inside DSA.noise_floor


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m != "skdsa"))
def test_imports_only_from_its_own_unit_or_below(module):
    for name, top_level in imports(module):
        if unit(name) in (unit(module), "__init__"):
            assert unit(name) != "__init__" or name == "skdsa", name
            continue
        if (module, name) in ALLOWED_UPWARD and not top_level:
            continue
        assert LAYER[unit(name)] < LAYER[unit(module)], (
            f"{module} imports {name}: layer {LAYER[unit(name)]} ({unit(name)}) is not "
            f"below layer {LAYER[unit(module)]} ({unit(module)})")


def _loads(module, name):
    """Modules that importing ``name`` from ``module`` runs: its packages' inits too."""
    loaded = [name]
    if unit(name) != unit(module):
        parts = name.split(".")
        loaded += [".".join(parts[:k]) for k in range(2, len(parts))]
    return [m for m in loaded if m in MODULES]


def find_cycle(graph):
    """A cycle of the directed graph ``{node: [nodes]}`` as a list, or None."""
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in graph.get(node, ()):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def import_graph():
    graph = {}
    for module in MODULES:
        if module == "skdsa":
            continue  # the root only gathers public names
        graph[module] = sorted({loaded for name, top_level in imports(module)
                                if (module, name) not in ALLOWED_UPWARD
                                for loaded in _loads(module, name) if loaded != "skdsa"})
    return graph


def test_no_import_cycle():
    assert find_cycle(import_graph()) is None, find_cycle(import_graph())


def test_the_cycle_finder_finds_cycles():
    assert find_cycle({"a": ["b"], "b": ["c"], "c": ["a"]}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": ["b"], "b": ["c"], "c": []}) is None
