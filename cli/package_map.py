"""Where things are: the top-level packages, what each holds (its `__init__.py`
docstring), which packages each one imports (read from the source with `ast`), and the
one direction those imports may run. The README's "Where things are" section is
generated from this, and a test checks the imports against LAYERS.
"""

from __future__ import annotations

import ast
import graphlib
from dataclasses import dataclass
from pathlib import Path

from settings.table import PROJECT_ROOT

# Top to bottom: a package imports only packages in its own layer or a lower one.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("cli",),
    ("workbench",),
    ("workspace",),
    ("queries", "ingest", "exchange", "synth", "training"),
    ("access",),
    ("graph", "events"),
    ("settings",),
)
# The Streamlit app is reached only through the command that serves it.
WORKBENCH_IMPORTERS = frozenset({"cli"})
# Folders outside the layers: they may import any package, and no package imports them.
OUTSIDE = ("bench", "tests")


@dataclass(frozen=True)
class Package:
    name: str
    holds: str
    imports: tuple[str, ...]


def layer_of(name: str) -> int:
    for index, layer in enumerate(LAYERS):
        if name in layer:
            return index
    raise ValueError(
        f"{name}/ is a package but has no place in LAYERS (cli/package_map.py): "
        "say which packages it may import by adding it there"
    )


def package_names(root: Path = PROJECT_ROOT) -> list[str]:
    """The layered packages present on disk, top to bottom."""
    found = {p.name for p in root.iterdir() if (p / "__init__.py").is_file() and p.name not in OUTSIDE}
    for name in found:
        layer_of(name)
    return [name for layer in LAYERS for name in layer if name in found]


def holds(folder: Path) -> str:
    """The first paragraph of the folder's `__init__.py` docstring, on one line."""
    init = folder / "__init__.py"
    doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) if init.is_file() else None
    if not doc:
        raise ValueError(f"{init.relative_to(folder.parent)} has no docstring saying what {folder.name}/ holds")
    return " ".join(doc.split("\n\n", 1)[0].split())


def imported_packages(folder: Path, candidates: set[str]) -> set[str]:
    """Which of `candidates` the Python files under `folder` import, lazily or not."""
    found: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            found.update(m.split(".")[0] for m in modules if m.split(".")[0] in candidates)
    found.discard(folder.name)
    return found


def packages(root: Path = PROJECT_ROOT) -> list[Package]:
    """Every layered package top to bottom, then the folders outside the layers."""
    names = package_names(root)
    order = names + list(OUTSIDE)
    out = []
    for name in order:
        imports = imported_packages(root / name, set(order))
        out.append(Package(name, holds(root / name), tuple(n for n in order if n in imports)))
    return out


def wrong_way(found: list[Package]) -> list[str]:
    """Every import that breaks the direction, as a sentence; empty when they all run one way."""
    faults = []
    layered = [p for p in found if p.name not in OUTSIDE]
    for package in layered:
        for target in package.imports:
            if target in OUTSIDE:
                faults.append(f"{package.name}/ imports {target}/, which no package may import")
            elif layer_of(target) < layer_of(package.name):
                faults.append(f"{package.name}/ imports {target}/, which is above it")
            elif target == "workbench" and package.name not in WORKBENCH_IMPORTERS:
                faults.append(f"{package.name}/ imports workbench/; only {', '.join(sorted(WORKBENCH_IMPORTERS))}/ may")
    graph = {p.name: {t for t in p.imports if t not in OUTSIDE} for p in layered}
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        faults.append("packages import each other in a cycle: " + " → ".join(exc.args[1]))
    return faults


def where_things_are(root: Path = PROJECT_ROOT) -> str:
    found = packages(root)
    rows = ["| Folder | What it holds | Imports |", "|---|---|---|"]
    for package in found:
        imports = ", ".join(f"`{name}`" for name in package.imports) or "—"
        rows.append(f"| `{package.name}/` | {package.holds} | {imports} |")
    present = {p.name for p in found}
    layers = [" · ".join(f"`{n}`" for n in layer if n in present) for layer in LAYERS]
    rows += [
        "",
        "Imports run one way, down these layers, with no cycles: " + " → ".join(filter(None, layers)) + ". "
        f"Only {', '.join(f'`{n}/`' for n in sorted(WORKBENCH_IMPORTERS))} imports `workbench/`; "
        f"{' and '.join(f'`{n}/`' for n in OUTSIDE)} may import any package and none imports them.",
    ]
    return "\n".join(rows)
