"""The dependency direction as a test (shared/DESIGN.md): no import cycle between modules.

The layers themselves (portal > orders > carriers; inside orders views -> services ->
lifecycle and rules -> models; pure rules) are import-linter contracts in pyproject.toml, run
by `lint-imports` in .ci/run and `make lint`. What they do not see is a cycle inside one layer
(two views, two services importing each other); this test does, with grimp, import-linter's
own graph builder. A function-level import is an import here too: moving an import into a
function hides a cycle from Python's loader, not from the design.
"""

from __future__ import annotations

import grimp

PACKAGES = ("portal", "api", "reports", "orders", "carriers")


def _imports(graph) -> dict[str, set[str]]:
    return {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}


def _cycles(imports: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(imports):
        if root in index:
            continue
        work = [(root, iter(sorted(imports[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(imports.get(target, ())))))
                    break
                if target in on_stack:
                    low[module] = min(low[module], index[target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[module])
                if low[module] == index[module]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == module:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return sorted(found)


def test_the_cycle_finder_finds_a_cycle_and_only_the_cycle():
    imports = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert _cycles(imports) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_modules_of_the_portal():
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    imports = _imports(graph)
    cycles = _cycles(imports)
    report = []
    for component in cycles:
        members = set(component)
        edges = [
            f"    {importer} -> {imported} (line "
            + ", ".join(
                str(detail["line_number"])
                for detail in graph.get_import_details(importer=importer, imported=imported)
            )
            + ")"
            for importer in component
            for imported in sorted(imports[importer] & members)
        ]
        report.append(" <-> ".join(component) + "\n" + "\n".join(edges))
    assert not cycles, "Import cycles between modules:\n" + "\n".join(report)
