"""Import files into the graph: the Python API behind `goldenbell ingest` and the
workbench's import page.

For every file, rows read = rows loaded + rows rejected; each rejected row goes to
the reject file with its file, row, column, value and reason.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from time import monotonic

from graph.gateway import Gateway
from graph.model import Schema
from ingest import cypher
from ingest.duplicates import DuplicateFinder, fingerprint
from ingest.extraction.hook import CaseTexts
from ingest.loader import BatchWriter, FileContext
from ingest.mapping import MappedRow, Reject, RowMapper
from ingest.places import place_addresses
from ingest.readers import Source, SourceError, open_source
from ingest.reject_reasons import Reason
from ingest.rejects import RejectWriter
from ingest.resolution import link_candidates
from ingest.spec import MappingSpec, SpecError, builtin_specs, resolve_spec
from ingest.spec_headers import resolve_headers, spec_fits
from ingest.writer import BackgroundWriter


@dataclass
class FileReport:
    path: Path
    spec: str
    format: str = ""
    encoding: str = ""
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    reasons: Counter = field(default_factory=Counter)
    skipped: str | None = None  # why nothing was done, e.g. already imported
    resumed_after_row: int = 0
    candidate_links: int = 0
    mentions: int = 0  # mentions stored for the file's case reports (specs with extract_text)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {
            "path": str(self.path),
            "spec": self.spec,
            "format": self.format,
            "encoding": self.encoding,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
            "rejects_by_reason": dict(sorted(self.reasons.items())),
            "skipped": self.skipped,
            "resumed_after_row": self.resumed_after_row,
            "candidate_links": self.candidate_links,
            "mentions": self.mentions,
            "seconds": round(self.seconds, 3),
        }


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


@dataclass(frozen=True)
class Progress:
    path: Path
    rows_done: int
    rows_total: int
    rows_loaded: int
    rows_rejected: int


def new_run_id() -> str:
    return f"run-{datetime.now(UTC):%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def estimated_rows(source: Source) -> int:
    if source.format == "xlsx":
        return 0
    lines = 0
    with source.path.open("rb") as f:
        while chunk := f.read(1 << 20):
            lines += chunk.count(b"\n")
    return max(lines - (1 if source.format == "csv" else 0), 0)


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


class _FileImport:
    """One file through read → map → deduplicate → load, with accounting."""

    def __init__(
        self,
        *,
        path: Path,
        spec: MappingSpec,
        source: Source,
        schema: Schema,
        gateway: Gateway | None,
        run_id: str,
        now: datetime,
        batch_size: int,
        rejects: RejectWriter,
        dry_run: bool,
        force: bool,
        progress: Callable[[Progress], None] | None,
    ):
        self.path, self.spec, self.source, self.schema, self.gateway = path, spec, source, schema, gateway
        self.run_id, self.now, self.batch_size, self.rejects = run_id, now, batch_size, rejects
        self.dry_run, self.force, self.progress = dry_run, force, progress
        self.report = FileReport(path=path, spec=spec.name, format=source.format, encoding=source.encoding)
        self._lock = threading.Lock()
        self._loaded_here = 0  # counted on this thread: dry runs and rows committed by an earlier run
        self._rejected_here = 0  # rejected on this thread: while mapping, or found again before resuming
        self._background: BackgroundWriter | None = None
        self._checker: BatchWriter | None = None
        self._writer: BatchWriter | None = None
        self.case_texts: CaseTexts | None = None  # cases whose text import_files extracts at the end

    def run(self) -> FileReport:
        began = monotonic()
        headers = resolve_headers(self.spec, self.source.header, self.path)
        mapper = RowMapper(self.spec, headers, self.schema)
        file_hash = file_sha256(self.path)
        resume_after, writer = 0, None
        if not self.dry_run:
            assert self.gateway is not None
            previous = self.gateway.read(
                "ingest.progress", cypher.FIND_PROGRESS, {"file": file_hash, "spec": self.spec.name}
            ).data()
            if previous and previous[0]["status"] == "completed" and not self.force:
                self.report.skipped = (
                    f"already imported completely by {previous[0]['run_id']} (use --force to re-import)"
                )
                self.report.rows_read = self.report.rows_loaded = self.report.rows_rejected = 0
                return self.report
            if previous and previous[0]["status"] in ("running", "interrupted", "failed") and not self.force:
                resume_after = previous[0]["rows_committed"] or 0
            self.gateway.write(
                "ingest.start_file",
                cypher.START_FILE,
                {
                    "run": self.run_id,
                    "file": file_hash,
                    "name": self.path.name,
                    "size": self.path.stat().st_size,
                    "encoding": self.source.encoding,
                    "spec": self.spec.name,
                    "now": self.now,
                    "resume_from": resume_after,
                    "loaded": 0,
                    "rejected": 0,
                },
            )
            ctx = FileContext(self.run_id, file_hash, self.spec.source, self.spec.name, self.now)
            writer = BatchWriter(self.gateway, self.spec, self.schema, ctx)
            self.case_texts = CaseTexts.for_spec(self.spec, file_hash=file_hash)
        self.report.resumed_after_row = resume_after
        # Reference checks in a dry run use a writer that never writes.
        self._checker = writer or (
            BatchWriter(
                self.gateway,
                self.spec,
                self.schema,
                FileContext(self.run_id, "", self.spec.source, self.spec.name, self.now),
            )
            if self.gateway is not None
            else None
        )
        self._writer = writer
        total = estimated_rows(self.source)
        duplicates = DuplicateFinder()
        batch: list[MappedRow] = []
        done_rows: list[MappedRow] = []  # rows before the resume point: checked, not written
        last_row = 0
        try:
            for raw in self.source.rows():
                self.report.rows_read += 1
                last_row = raw.number
                outcome = mapper.map(raw)
                if isinstance(outcome, MappedRow):
                    first = duplicates.first_row(fingerprint(raw.values.values()), raw.number)
                    if first is not None:
                        outcome = Reject(
                            raw.number, "", "", Reason.ROW_DUPLICATE, f"identical to row {first}", raw.original
                        )
                if self.case_texts is not None and isinstance(outcome, MappedRow):
                    self.case_texts.add(outcome)
                if isinstance(outcome, Reject):
                    self._reject(outcome)
                elif raw.number <= resume_after:
                    done_rows.append(outcome)
                    if len(done_rows) >= self.batch_size:
                        self._account_done(done_rows)
                else:
                    self._account_done(done_rows)
                    batch.append(outcome)
                    if len(batch) >= self.batch_size:
                        self._flush(batch, raw.number)
                        batch = []
                if self.progress and self.report.rows_read % 1000 == 0:
                    self._tell(total)
            self._account_done(done_rows)
            self._flush(batch, last_row)
            if self._background is not None:
                self._background.finish()
        except BaseException:
            if self._background is not None:
                self._background.abandon()
            raise
        finally:
            duplicates.close()
        self.report.rows_loaded = self._loaded()
        self.report.rows_rejected = self._rejected()
        if writer is not None and self.gateway is not None:
            if any(e.on_missing_key == "record" for e in self.spec.entities.values()):
                self.report.candidate_links = link_candidates(
                    self.gateway, file_hash=file_hash, run_id=self.run_id, now=self.now
                )
            self.gateway.write(
                "ingest.finish_file",
                cypher.FINISH_FILE,
                {
                    "run": self.run_id,
                    "spec": self.spec.name,
                    "file": file_hash,
                    "status": "completed",
                    "read": self.report.rows_read,
                    "loaded": self.report.rows_loaded,
                    "rejected": self.report.rows_rejected,
                },
            )
        self._tell(total)
        self.report.seconds = monotonic() - began
        return self.report

    def _loaded(self) -> int:
        return self._background.loaded if self._background is not None else self._loaded_here

    def _rejected(self) -> int:
        return self._rejected_here + (self._background.refused if self._background is not None else 0)

    def _record(self, reject: Reject) -> None:
        """Write a reject; called from the writer thread too."""
        with self._lock:
            self.rejects.write(self.path, reject)
            self.report.reasons[reject.reason.value] += 1

    def _reject(self, reject: Reject) -> None:
        self._record(reject)
        self._rejected_here += 1

    def _account_done(self, rows: list[MappedRow]) -> None:
        """Rows an earlier, interrupted run committed: count them, and find again the ones it refused."""
        if not rows:
            return
        refused = self._checker.missing_references(None, rows) if self._checker else {}
        for row in rows:
            if row.number in refused:
                self._reject(refused[row.number])
            else:
                self._loaded_here += 1
        rows.clear()

    def _flush(self, batch: list[MappedRow], through_row: int) -> None:
        if not batch:
            return
        if self._writer is None:  # dry run
            refused = self._checker.missing_references(None, batch) if self._checker else {}
            for reject in refused.values():
                self._reject(reject)
            self._loaded_here += len(batch) - len(refused)
            return
        if self._background is None:
            self._background = BackgroundWriter(self._writer, self._record, loaded_before=self._loaded_here)
        self._background.submit(batch, through_row=through_row, rejected_before=self._rejected_here)

    def _tell(self, total: int) -> None:
        if self.progress:
            self.progress(
                Progress(
                    self.path,
                    self.report.rows_read,
                    max(total, self.report.rows_read),
                    self._loaded(),
                    self._rejected(),
                )
            )


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
) -> ImportReport:
    """Import files in order. Raises SpecError or SourceError (nothing written for that
    file) when a spec or a file is unusable; rejected rows never raise."""
    began = monotonic()
    paths = [Path(p) for p in paths]
    run_id = run_id or new_run_id()
    now = datetime.now(UTC)
    if not dry_run and gateway is None:
        raise ValueError("a gateway is needed unless dry_run is set")
    # Check every file and spec before writing anything.
    plans = []
    for path in paths:
        source = open_source(path)
        chosen = choose_spec(path, source, schema, spec)
        resolve_headers(chosen, source.header, path)
        plans.append((path, source, chosen))
    plans = _in_dependency_order(plans)
    rejects = RejectWriter(rejects_path)
    report = ImportReport(run_id=run_id, dry_run=dry_run, files=[], rejects_path=rejects_path)
    if not dry_run:
        gateway.write(
            "ingest.start_run",
            cypher.START_RUN,
            {"run": run_id, "now": now, "spec": ",".join(sorted({p[2].name for p in plans})), "user": user},
        )
    status = "failed"
    try:
        jobs = []
        for path, source, chosen in plans:
            jobs.append(
                _FileImport(
                    path=path,
                    spec=chosen,
                    source=source,
                    schema=schema,
                    gateway=gateway,
                    run_id=run_id,
                    now=now,
                    batch_size=batch_size,
                    rejects=rejects,
                    dry_run=dry_run,
                    force=force,
                    progress=progress,
                )
            )
            report.files.append(jobs[-1].run())
        if not dry_run:
            report.addresses_placed = place_addresses(gateway, run_id=run_id, now=now)
        # Case reports are linked once every file of the run is in, so their names find the
        # registries imported with them whatever the file order.
        for job in jobs:
            if job.case_texts is not None:
                job.report.mentions = job.case_texts.link(gateway, schema, run_id=run_id, now=now)
        status = "completed"
    finally:
        rejects.close()
        if not dry_run:
            gateway.write(
                "ingest.finish_run",
                cypher.FINISH_RUN,
                {
                    "run": run_id,
                    "status": status,
                    "now": datetime.now(UTC),
                    "read": report.rows_read,
                    "loaded": report.rows_loaded,
                    "rejected": report.rows_rejected,
                },
            )
    report.seconds = monotonic() - began
    return report


__all__ = ["FileReport", "ImportReport", "Progress", "SourceError", "SpecError", "import_files"]
