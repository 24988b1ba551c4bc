"""Import files into the graph: the Python API behind `goldenbell ingest` and the
workbench's import page.

For every file, rows read = rows loaded + rows rejected; each rejected row goes to
the reject file with its file, row, column, value and reason.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from time import monotonic

from events.store import EventStore
from graph.gateway import Gateway
from graph.model import Schema
from ingest import cypher
from ingest.file_import import FileImport, FileReport, Progress, RunContext
from ingest.passages.importer import is_passage_spec
from ingest.places import place_addresses
from ingest.readers import Source, SourceError, open_source
from ingest.rejects import RejectWriter
from ingest.spec import MappingSpec, SpecError, builtin_specs, resolve_spec
from ingest.spec_headers import resolve_headers, spec_fits


@dataclass
class ImportReport:
    run_id: str
    dry_run: bool
    files: list[FileReport]
    rejects_path: Path | None
    seconds: float = 0.0
    addresses_placed: int = 0  # addresses newly linked to their compound

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.files)

    def as_dict(self) -> dict:
        return {
            "run_id": self.run_id,
            "dry_run": self.dry_run,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
            "rejects_path": str(self.rejects_path) if self.rejects_path else None,
            "seconds": round(self.seconds, 3),
            "files": [f.as_dict() for f in self.files],
        }


def new_run_id() -> str:
    return f"run-{datetime.now(UTC):%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


def choose_spec(path: Path, source: Source, schema: Schema, spec: str | None) -> MappingSpec:
    if spec:
        return resolve_spec(spec, schema)
    specs = builtin_specs(schema).values()
    by_name = [s for s in specs if s.matches_file(path)]
    if len(by_name) == 1:
        return by_name[0]
    by_header = [s for s in (by_name or specs) if spec_fits(s, source.header)]
    if len(by_header) == 1:
        return by_header[0]
    candidates = ", ".join(s.name for s in (by_header or by_name)) or "none"
    raise SpecError(path, 0, f"cannot tell which spec fits this file (candidates: {candidates}); pass --spec")


def _in_dependency_order(plans: list[tuple[Path, Source, MappingSpec]]) -> list[tuple[Path, Source, MappingSpec]]:
    """Files whose specs create a label go before files that only refer to it (shops before
    sales, checkpoints before passages); otherwise the given order is kept."""
    creates = [{e.label for e in spec.entities.values() if e.mode == "merge"} for _, _, spec in plans]
    needs = [{e.label for e in spec.entities.values() if e.mode == "match"} for _, _, spec in plans]
    ordered: list[int] = []
    remaining = list(range(len(plans)))
    while remaining:
        ready = next(
            (
                i
                for i in remaining
                if not any(needs[i] & creates[j] for j in remaining if j != i and not needs[j] & creates[i])
            ),
            remaining[0],  # a cycle: keep the given order
        )
        ordered.append(ready)
        remaining.remove(ready)
    return [plans[i] for i in ordered]


def _plan(paths: list[Path], schema: Schema, spec: str | None) -> list[tuple[Path, Source, MappingSpec]]:
    """Every file opened and its spec chosen and fitted to its header, before anything is written."""
    plans = []
    for path in paths:
        source = open_source(path)
        chosen = choose_spec(path, source, schema, spec)
        resolve_headers(chosen, source.header, path)
        plans.append((path, source, chosen))
    return _in_dependency_order(plans)


def import_files(
    paths: Iterable[Path | str],
    *,
    schema: Schema,
    gateway: Gateway | None,
    spec: str | None = None,
    dry_run: bool = False,
    rejects_path: Path | None = None,
    batch_size: int = 5000,
    force: bool = False,
    user: str = "cli",
    progress: Callable[[Progress], None] | None = None,
    run_id: str | None = None,
    events: EventStore | None = None,
) -> ImportReport:
    """Import files in order. Raises SpecError or SourceError (nothing written for that
    file) when a spec or a file is unusable; rejected rows never raise.

    `events`: the event store. Once it holds passages, passage files belong there and are
    refused here (SpecError), since every reader of passages reads the store: as Passage
    nodes they would be loaded and never seen."""
    began = monotonic()
    paths = [Path(p) for p in paths]
    run_id = run_id or new_run_id()
    now = datetime.now(UTC)
    if not dry_run and gateway is None:
        raise ValueError("a gateway is needed unless dry_run is set")
    plans = _plan(paths, schema, spec)
    if events is not None and events.holds_passages():
        for path, _, chosen in plans:
            if is_passage_spec(chosen):
                raise SpecError(
                    path,
                    0,
                    f"{path.name} holds passages ({chosen.name}), and this installation keeps passages in the "
                    "event store: import it with `goldenbell events import` (nothing was imported)",
                )
    rejects = RejectWriter(rejects_path)
    run = RunContext(schema, gateway, run_id, now, batch_size, rejects, dry_run, force, progress)
    report = ImportReport(run_id=run_id, dry_run=dry_run, files=[], rejects_path=rejects_path)
    if not dry_run:
        specs = ",".join(sorted({p[2].name for p in plans}))
        gateway.write("ingest.start_run", cypher.START_RUN, {"run": run_id, "now": now, "spec": specs, "user": user})
    status = "failed"
    try:
        _import_planned(run, plans, report)
        status = "completed"
    finally:
        rejects.close()
        if not dry_run:
            _finish_run(gateway, report, status)
    report.seconds = monotonic() - began
    return report


def _import_planned(run: RunContext, plans: list[tuple[Path, Source, MappingSpec]], report: ImportReport) -> None:
    jobs = []
    for path, source, chosen in plans:
        jobs.append(FileImport(run, path, source, chosen))
        report.files.append(jobs[-1].import_file())
    if not run.dry_run:
        report.addresses_placed = place_addresses(run.gateway, run_id=run.run_id, now=run.now)
    # Case reports are linked once every file of the run is in, so their names find the
    # registries imported with them whatever the file order.
    for job in jobs:
        if job.case_texts is not None:
            job.report.mentions = job.case_texts.link(run.gateway, run.schema, run_id=run.run_id, now=run.now)


def _finish_run(gateway: Gateway, report: ImportReport, status: str) -> None:
    gateway.write(
        "ingest.finish_run",
        cypher.FINISH_RUN,
        {
            "run": report.run_id,
            "status": status,
            "now": datetime.now(UTC),
            "read": report.rows_read,
            "loaded": report.rows_loaded,
            "rejected": report.rows_rejected,
        },
    )


__all__ = ["FileReport", "ImportReport", "Progress", "SourceError", "SpecError", "import_files"]
