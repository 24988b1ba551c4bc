"""Import files into the graph: the Python API behind `goldenbell ingest` and the
workbench's import page.

For every file, rows read = rows loaded + rows rejected; each rejected row goes to
the reject file with its file, row, column, value and reason, and so does each value
left out of a row that loaded (a column's `on_invalid: drop`), counted apart.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from time import monotonic
from typing import Any

from events.store import EventStore
from graph.gateway import Gateway
from graph.model import Schema
from ingest import cypher
from ingest.batch import BatchFile, PlannedFile, choose_spec, plan_batch
from ingest.batch_keys import BatchKeys
from ingest.file_import import FileImport, FileReport, Progress, RunContext
from ingest.passages.importer import is_passage_spec
from ingest.places import place_addresses
from ingest.readers import SourceError
from ingest.rejects import RejectWriter
from ingest.spec import SpecError


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

    @property
    def values_dropped(self) -> int:
        return sum(f.values_dropped for f in self.files)

    @property
    def repeated(self) -> list[FileReport]:
        """Files named again in the batch (same content, same spec), imported once."""
        return [f for f in self.files if f.same_as]

    def as_dict(self) -> dict:
        return {
            "run_id": self.run_id,
            "dry_run": self.dry_run,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
            "values_dropped": self.values_dropped,
            "rejects_path": str(self.rejects_path) if self.rejects_path else None,
            "seconds": round(self.seconds, 3),
            "files": [f.as_dict() for f in self.files],
        }


def new_run_id() -> str:
    return f"run-{datetime.now(UTC):%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


def import_files(
    paths: Iterable[Path | str | BatchFile],
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
    specs_dir: Path | None = None,
) -> ImportReport:
    """Import a batch of files. Raises SpecError or SourceError, before anything is written,
    when a spec or a file is unusable; rejected rows never raise.

    `paths`: the files, each a path or a BatchFile (a path with its own spec, and the name
    it goes by in the report and the reject file). `spec`: the spec of every file without
    its own; without either, each file's is chosen by its name and header among the
    built-in specs and those in `specs_dir` (GOLDENBELL_SPECS_DIR). The files are imported
    in the order their specs' references demand (SpecError for references in a cycle); a
    file named twice (same content, same spec) is imported once. A dry run checks each
    reference against the graph and against what the batch's earlier files would create.

    `events`: the event store. Once it holds passages, passage files belong there and are
    refused here (SpecError), since every reader of passages reads the store: as Passage
    nodes they would be loaded and never seen."""
    began = monotonic()
    run_id = run_id or new_run_id()
    now = datetime.now(UTC)
    if not dry_run and gateway is None:
        raise ValueError("a gateway is needed unless dry_run is set")
    plans, repeated = plan_batch(paths, schema, spec=spec, specs_dir=specs_dir)
    if events is not None and events.holds_passages():
        for plan in plans:
            if is_passage_spec(plan.spec):
                raise SpecError(
                    plan.path,
                    0,
                    f"{plan.path.name} holds passages ({plan.spec.name}), and this installation keeps passages in "
                    "the event store: import it with `goldenbell events import` (nothing was imported)",
                )
    rejects = RejectWriter(rejects_path)
    keys = BatchKeys(p.spec for p in plans) if dry_run and len(plans) > 1 else None
    run = RunContext(schema, gateway, run_id, now, batch_size, rejects, dry_run, force, progress, keys)
    report = ImportReport(run_id=run_id, dry_run=dry_run, files=[], rejects_path=rejects_path)
    if not dry_run:
        specs = ",".join(sorted({p.spec.name for p in plans}))
        gateway.write("ingest.start_run", cypher.START_RUN, {"run": run_id, "now": now, "spec": specs, "user": user})
    status = "failed"
    try:
        _import_planned(run, plans, report)
        report.files += [repeated_file(p) for p in repeated]
        status = "completed"
    finally:
        rejects.close()
        if not dry_run:
            _finish_run(gateway, report, status)
    report.seconds = monotonic() - began
    return report


def planned_report(plan: PlannedFile, **fields: Any) -> FileReport:
    """A file's report as its plan names it, with these fields besides."""
    return FileReport(
        path=plan.path,
        spec=plan.spec.name,
        name=plan.name,
        format=plan.source.format,
        encoding=plan.source.encoding,
        **fields,
    )


def repeated_file(plan: PlannedFile) -> FileReport:
    first = plan.same_as or plan
    how = "the same path" if plan.path.resolve() == first.path.resolve() else "the same content"
    return planned_report(
        plan, skipped=f"{how} as {first.name}, named earlier in this batch: imported once", same_as=first.name
    )


def _import_planned(run: RunContext, plans: list[PlannedFile], report: ImportReport) -> None:
    jobs = []
    for plan in plans:
        jobs.append(FileImport(run, plan.path, plan.source, plan.spec, name=plan.name, file_hash=plan.file_hash))
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


__all__ = [
    "BatchFile",
    "FileReport",
    "ImportReport",
    "Progress",
    "SourceError",
    "SpecError",
    "choose_spec",
    "import_files",
]
