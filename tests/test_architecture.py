"""The package's shape: stages that import only downwards, and no import cycle.

The import graph is read from the source with ``ast``: every ``import`` of a vetkg module,
at the top of a module or inside a function, is an arrow.
"""

import ast
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).parent.parent / "graph"
# The stages, lowest first; a module may import its own stage and those below it. The package
# itself holds only the version and imports its public names lazily, by name.
STAGES = (("vetkg", "vetkg.paths", "vetkg.spaces", "vetkg.namespaces"), ("vetkg.query",), ("vetkg.build",),
          ("vetkg.views",), ("vetkg.curation",), ("vetkg.web",))
# The top: the command line, the main job and the Python API, over every stage.
TOP = ("vetkg.__main__", "vetkg.cli", "vetkg.pipeline", "vetkg.api")


def module_name(path: Path, package: Path) -> str:
    parts = path.relative_to(package).with_suffix("").parts
    return ".".join(("vetkg", *parts)).removesuffix(".__init__")


def imported(path: Path, package_dir: Path, modules: set[str]) -> set[str]:
    """The vetkg modules that a module imports (a name imported from a package counts as its module)."""
    name = module_name(path, package_dir)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base]).strip(".")
            found |= {f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                      for alias in node.names}
    return {module for module in found if module in modules and module != name}


def import_graph(package: Path = PACKAGE) -> nx.DiGraph:
    paths = sorted(package.rglob("*.py"))
    modules = {module_name(path, package) for path in paths}
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for path in paths:
        graph.add_edges_from((module_name(path, package), target)
                             for target in imported(path, package, modules))
    return graph


def stage(module: str) -> int:
    if module in TOP:
        return len(STAGES)
    for rank, roots in enumerate(STAGES):
        # A stage's root is a module, or a subpackage with all that is in it.
        if any(module == root or (root != "vetkg" and module.startswith(root + ".")) for root in roots):
            return rank
    raise AssertionError(f"{module} is in no stage: put it in a subpackage, or name it in STAGES or TOP")


@pytest.fixture(scope="module")
def graph():
    graph = import_graph()
    assert graph.number_of_nodes() > 40 and graph.number_of_edges() > 100
    return graph


def test_every_module_is_in_a_stage(graph):
    for module in graph:
        stage(module)


def test_no_module_imports_a_higher_stage(graph):
    upward = [f"{source} → {target}" for source, target in graph.edges if stage(target) > stage(source)]
    assert not upward, "imports of a higher stage:\n" + "\n".join(sorted(upward))


def test_the_imports_have_no_cycle(graph):
    cycles = [" → ".join([*cycle, cycle[0]]) for cycle in nx.simple_cycles(graph)]
    assert not cycles, "import cycles:\n" + "\n".join(sorted(cycles))


def test_the_check_finds_an_upward_import_and_a_cycle(tmp_path):
    package = tmp_path / "graph"
    (package / "query").mkdir(parents=True)
    (package / "web").mkdir()
    for folder in (package, package / "query", package / "web"):
        (folder / "__init__.py").write_text("")
    (package / "query" / "pool.py").write_text("from vetkg.web import jobs\n")
    (package / "web" / "jobs.py").write_text("from vetkg.query.pool import run\n")
    graph = import_graph(package)
    assert ("vetkg.query.pool", "vetkg.web.jobs") in graph.edges
    assert stage("vetkg.web.jobs") > stage("vetkg.query.pool")
    assert list(nx.simple_cycles(graph))
