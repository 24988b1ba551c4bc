"""A batch of files planned before anything is written: each file opened, its spec chosen
(its own, the batch's, or by file name and header among the built-in specs and the user's
GOLDENBELL_SPECS_DIR) and fitted to its header; a file named twice kept once; and the files
put in the order their specs' references demand — a file whose entities `mode: match`
nodes another file's spec creates goes after that file.
"""

from __future__ import annotations

import graphlib
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.model import Schema
from ingest.file_import import file_sha256
from ingest.readers import Source, open_source
from ingest.spec import MappingSpec, SpecError, known_specs, resolve_spec
from ingest.spec_headers import resolve_headers, spec_fits


@dataclass(frozen=True)
class BatchFile:
    """One file of a batch: its path, its own spec (a name or a spec file; None: the batch's
    spec, or chosen by file name and header) and the name it goes by in the report and the
    reject file (None: the path as given)."""

    path: Path
    spec: str | None = None
    name: str | None = None


@dataclass
class PlannedFile:
    path: Path
    name: str
    source: Source
    spec: MappingSpec
    file_hash: str
    same_as: PlannedFile | None = None  # the file of the batch with the same content and spec


def as_batch_file(item: Path | str | BatchFile) -> BatchFile:
    if isinstance(item, BatchFile):
        return item
    return BatchFile(Path(item), name=str(item))


def choose_spec(
    path: Path,
    source: Source,
    schema: Schema,
    spec: str | None,
    *,
    specs_dir: Path | None = None,
    known: Mapping[str, MappingSpec] | None = None,
) -> MappingSpec:
    """The spec named (by name or file), or the one spec the file's name or header fits among
    the built-in specs and those in `specs_dir`."""
    if spec:
        return resolve_spec(spec, schema, specs_dir=specs_dir, known=known)
    specs = (known if known is not None else known_specs(schema, specs_dir)).values()
    by_name = [s for s in specs if s.matches_file(path)]
    if len(by_name) == 1:
        return by_name[0]
    by_header = [s for s in (by_name or specs) if spec_fits(s, source.header)]
    if len(by_header) == 1:
        return by_header[0]
    candidates = ", ".join(s.name for s in (by_header or by_name)) or "none"
    raise SpecError(path, 0, f"cannot tell which spec fits this file (candidates: {candidates}); pass --spec")


def _names_file(named: str, path: Path, given: str) -> bool:
    """Whether `named` (as a user wrote it after --spec) is this file: its path as given, the
    same file by another path, or its bare name."""
    if named == given:
        return True
    candidate = Path(named)
    if candidate.name == named and named == path.name:
        return True
    return candidate.exists() and path.exists() and candidate.resolve() == path.resolve()


def assign_specs(
    paths: Sequence[Path | str], per_file: Sequence[tuple[str, str]], default: str | None = None
) -> list[BatchFile]:
    """The batch's files, each with the spec given for it (`per_file`: (file, spec) as written
    in `--spec FILE=SPEC`) or `default`. A file named for no file of the batch, or for two
    different ones, or given two specs, is a SpecError."""
    files = [as_batch_file(p) for p in paths]
    chosen: dict[int, tuple[str, str]] = {}
    for named, spec in per_file:
        hits = [i for i, f in enumerate(files) if _names_file(named, f.path, f.name or str(f.path))]
        if not hits:
            given = ", ".join(f.name or str(f.path) for f in files)
            raise SpecError(named, 0, f"--spec {named}={spec} names no file of this import (the files: {given})")
        if len({files[i].path.resolve() for i in hits}) > 1:
            found = ", ".join(str(files[i].path) for i in hits)
            raise SpecError(named, 0, f"--spec {named}={spec} could be any of {found}: give the file's path")
        for i in hits:
            if i in chosen and chosen[i][1] != spec:
                raise SpecError(
                    named, 0, f"two specs for one file: --spec {chosen[i][0]}={chosen[i][1]} and --spec {named}={spec}"
                )
            chosen[i] = (named, spec)
    return [
        BatchFile(f.path, chosen[i][1] if i in chosen else (f.spec or default), f.name) for i, f in enumerate(files)
    ]


def plan_batch(
    items: Iterable[Path | str | BatchFile],
    schema: Schema,
    *,
    spec: str | None = None,
    specs_dir: Path | None = None,
) -> tuple[list[PlannedFile], list[PlannedFile]]:
    """(the files to import in dependency order, the files named again: same content, same
    spec). Raises SpecError or SourceError before anything is written."""
    known = known_specs(schema, specs_dir)
    planned: list[PlannedFile] = []
    repeated: list[PlannedFile] = []
    first: dict[tuple[str, str], PlannedFile] = {}
    for item in items:
        f = as_batch_file(item)
        source = open_source(f.path)
        chosen = choose_spec(f.path, source, schema, f.spec or spec, specs_dir=specs_dir, known=known)
        resolve_headers(chosen, source.header, f.path)
        file = PlannedFile(f.path, f.name or str(f.path), source, chosen, file_sha256(f.path))
        # The same content under the same spec (the same path twice, or a copy) is imported once:
        # counted twice it would double the batch's rows and rejects.
        earlier = first.setdefault((file.file_hash, chosen.name), file)
        if earlier is not file:
            file.same_as = earlier
            repeated.append(file)
        else:
            planned.append(file)
    return dependency_order(planned), repeated


def _creates(spec: MappingSpec) -> set[str]:
    return {e.label for e in spec.entities.values() if e.mode == "merge"}


def _refers_to(spec: MappingSpec) -> set[str]:
    return {e.label for e in spec.entities.values() if e.mode == "match"}


def dependency_order(files: list[PlannedFile]) -> list[PlannedFile]:
    """Each file after the files whose specs create the labels its spec refers to (shops before
    sales, checkpoints before passages); otherwise the given order. Files of one spec are never
    ordered against each other. References in a cycle are a SpecError naming the specs."""
    after = [
        {
            j
            for j, other in enumerate(files)
            if other.spec.name != file.spec.name and _refers_to(file.spec) & _creates(other.spec)
        }
        for file in files
    ]
    ordered: list[int] = []
    remaining = list(range(len(files)))
    while remaining:
        ready = next((i for i in remaining if not after[i] & set(remaining)), None)
        if ready is None:
            raise _cycle(files, {i: after[i] & set(remaining) for i in remaining})
        ordered.append(ready)
        remaining.remove(ready)
    return [files[i] for i in ordered]


def _cycle(files: list[PlannedFile], after: dict[int, set[int]]) -> SpecError:
    try:
        graphlib.TopologicalSorter(after).prepare()
        loop = [*after, next(iter(after))]  # unreachable: the caller found no file ready
    except graphlib.CycleError as exc:
        loop = list(reversed(exc.args[1]))  # graphlib lists each file before the one waiting for it
    steps = []
    for i, j in itertools.pairwise(loop):
        labels = ", ".join(sorted(_refers_to(files[i].spec) & _creates(files[j].spec)))
        steps.append(
            f"{files[i].spec.name} ({files[i].name}) refers to {labels}, "
            f"which {files[j].spec.name} ({files[j].name}) creates"
        )
    return SpecError(
        files[loop[0]].spec.path,
        0,
        "the specs refer to each other in a cycle, so no file can go first: "
        + "; ".join(steps)
        + ". Import them in separate runs, the one whose references already exist first",
    )
