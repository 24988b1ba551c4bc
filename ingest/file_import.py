"""One file of an import run through read → map → deduplicate → load, with its accounting
in the file's ledger and its progress saved with every batch, so a rerun resumes after
the last committed row or skips a file imported completely."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from time import monotonic

from graph.gateway import Gateway
from graph.model import Schema
from ingest import cypher
from ingest.batch_keys import BatchKeys
from ingest.duplicates import DuplicateFinder, fingerprint
from ingest.extraction.hook import CaseTexts
from ingest.ledger import Ledger
from ingest.loader import BatchWriter, FileContext
from ingest.mapping import MappedRow, Reject, RowMapper
from ingest.readers import RawRow, Source
from ingest.reject_reasons import Reason
from ingest.rejects import RejectWriter
from ingest.resolution import link_candidates
from ingest.spec import MappingSpec
from ingest.spec_headers import resolve_headers
from ingest.writer import BackgroundWriter


@dataclass
class FileReport:
    path: Path
    spec: str
    name: str = ""  # the file as its user named it (the path as given, or a manifest's entry)
    format: str = ""
    encoding: str = ""
    ledger: Ledger = field(default_factory=Ledger)  # the rows read, loaded and rejected
    skipped: str | None = None  # why nothing was done, e.g. already imported
    same_as: str | None = None  # the file of the same batch with the same content, imported instead
    resumed_after_row: int = 0
    candidate_links: int = 0
    mentions: int = 0  # mentions stored for the file's case reports (specs with extract_text)
    seconds: float = 0.0

    # the counts, as the ledger keeps them
    rows_read = property(lambda self: self.ledger.read)
    rows_loaded = property(lambda self: self.ledger.loaded)
    rows_rejected = property(lambda self: self.ledger.rejected)
    reasons = property(lambda self: self.ledger.reasons)
    # values left out of rows that loaded (on_invalid: drop): not rows, so counted apart
    values_dropped = property(lambda self: self.ledger.dropped)

    def as_dict(self) -> dict:
        return {
            "path": str(self.path),
            "name": self.name or str(self.path),
            "spec": self.spec,
            "format": self.format,
            "encoding": self.encoding,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
            "rejects_by_reason": dict(sorted(self.reasons.items())),
            "values_dropped": self.values_dropped,
            "dropped_by_reason": dict(sorted(self.ledger.dropped_reasons.items())),
            "skipped": self.skipped,
            "same_as": self.same_as,
            "resumed_after_row": self.resumed_after_row,
            "candidate_links": self.candidate_links,
            "mentions": self.mentions,
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class Progress:
    path: Path
    rows_done: int
    rows_total: int
    rows_loaded: int
    rows_rejected: int


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


@dataclass(frozen=True)
class RunContext:
    """What every file of one run shares."""

    schema: Schema
    gateway: Gateway | None
    run_id: str
    now: datetime
    batch_size: int
    rejects: RejectWriter
    dry_run: bool
    force: bool
    progress: Callable[[Progress], None] | None
    batch_keys: BatchKeys | None = None  # a dry run's: what the batch's earlier files would create


class FileImport:
    """One file through read → map → deduplicate → load, with accounting."""

    def __init__(
        self,
        run: RunContext,
        path: Path,
        source: Source,
        spec: MappingSpec,
        *,
        name: str | None = None,
        file_hash: str | None = None,
    ):
        self.run, self.path, self.source, self.spec = run, path, source, spec
        self.name = name or str(path)
        self._file_hash = file_hash
        self.ledger = Ledger(functools.partial(run.rejects.write, self.name))
        self.report = FileReport(
            path=path,
            spec=spec.name,
            name=self.name,
            format=source.format,
            encoding=source.encoding,
            ledger=self.ledger,
        )
        self._mapper: RowMapper | None = None
        self._background: BackgroundWriter | None = None
        self._checker: BatchWriter | None = None  # checks references; the writer itself unless a dry run
        self._writer: BatchWriter | None = None
        self.case_texts: CaseTexts | None = None  # cases whose text import_files extracts at the end

    def import_file(self) -> FileReport:
        began = monotonic()
        mapper = self._mapper = RowMapper(
            self.spec, resolve_headers(self.spec, self.source.header, self.path), self.run.schema
        )
        file_hash = self._file_hash or file_sha256(self.path)
        if not self.run.dry_run:
            previous = self._previous(file_hash)
            if previous and previous["status"] == "completed" and not self.run.force:
                self.report.skipped = f"already imported completely by {previous['run_id']} (use --force to re-import)"
                return self.report
            if previous and previous["status"] in ("running", "interrupted", "failed") and not self.run.force:
                self.report.resumed_after_row = previous["rows_committed"] or 0
            self._start(file_hash)
        self._checker = self._writer or self._dry_checker()
        total = estimated_rows(self.source)
        self._read(mapper, total)
        if self._writer is not None:
            self._finish(file_hash)
        self._tell(total)
        self.report.seconds = monotonic() - began
        return self.report

    def _previous(self, file_hash: str) -> dict | None:
        """The latest run's progress with this file and spec, if any."""
        found = self.run.gateway.read(
            "ingest.progress", cypher.FIND_PROGRESS, {"file": file_hash, "spec": self.spec.name}
        ).data()
        return found[0] if found else None

    def _start(self, file_hash: str) -> None:
        run = self.run
        run.gateway.write(
            "ingest.start_file",
            cypher.START_FILE,
            {
                "run": run.run_id,
                "file": file_hash,
                "name": self.path.name,
                "size": self.path.stat().st_size,
                "encoding": self.source.encoding,
                "spec": self.spec.name,
                "now": run.now,
                "resume_from": self.report.resumed_after_row,
                "loaded": 0,
                "rejected": 0,
            },
        )
        ctx = FileContext(run.run_id, file_hash, self.spec.source, self.spec.name, run.now)
        self._writer = BatchWriter(run.gateway, self.spec, run.schema, ctx, key_columns=self._mapper.key_columns())
        self.case_texts = CaseTexts.for_spec(self.spec, file_hash=file_hash)

    def _dry_checker(self) -> BatchWriter | None:
        """Reference checks in a dry run use a writer that never writes."""
        run = self.run
        if run.gateway is None:
            return None
        ctx = FileContext(run.run_id, "", self.spec.source, self.spec.name, run.now)
        return BatchWriter(
            run.gateway,
            self.spec,
            run.schema,
            ctx,
            key_columns=self._mapper.key_columns(),
            batch_keys=run.batch_keys,
        )

    def _read(self, mapper: RowMapper, total: int) -> None:
        resume_after = self.report.resumed_after_row
        duplicates = self._duplicates()
        batch: list[MappedRow] = []
        done_rows: list[MappedRow] = []  # rows before the resume point: checked, not written
        last_row = 0
        try:
            for raw, mapped, fp in self._mapped(mapper):
                self.ledger.read += 1
                last_row = raw.number
                outcome = self._screen(duplicates, raw, mapped, fp)
                if isinstance(outcome, Reject):
                    self.ledger.reject(outcome)
                elif raw.number <= resume_after:
                    done_rows.append(outcome)
                    if len(done_rows) >= self.run.batch_size:
                        done_rows = self._check_here(done_rows)
                else:
                    done_rows = self._check_here(done_rows)
                    batch.append(outcome)
                    if len(batch) >= self.run.batch_size:
                        batch = self._flush(batch, raw.number)
                if self.run.progress and self.ledger.read % 1000 == 0:
                    self._tell(total)
            self._check_here(done_rows)
            self._flush(batch, last_row)
            if self._background is not None:
                self._background.finish()
        except BaseException:
            if self._background is not None:
                self._background.abandon()
            raise
        finally:
            duplicates.close()

    def _duplicates(self) -> DuplicateFinder:
        return DuplicateFinder()

    def _mapped(self, mapper: RowMapper) -> Iterator[tuple[RawRow, MappedRow | Reject, int | None]]:
        """(row as read, its outcome, its fingerprint if already taken), in file order."""
        for raw in self.source.rows():
            yield raw, mapper.map(raw), None

    def _screen(
        self, duplicates: DuplicateFinder, raw: RawRow, outcome: MappedRow | Reject, fp: int | None = None
    ) -> MappedRow | Reject:
        """A mapped row refused as a copy of an earlier one, or kept (its case text noted).
        `fp`: the row's fingerprint, when the process that mapped it took it."""
        if isinstance(outcome, MappedRow):
            fp = fingerprint(raw.values.values()) if fp is None else fp
            first = duplicates.first_row(fp, raw.number)
            if first is not None:
                return Reject(raw.number, "", "", Reason.ROW_DUPLICATE, f"identical to row {first}", raw.original)
            if self.case_texts is not None:
                self.case_texts.add(outcome)
        return outcome

    def _check_here(self, rows: list[MappedRow]) -> list[MappedRow]:
        """Account for rows this thread checks but does not write (a dry run's, and the ones an
        earlier, interrupted run committed or refused); returns an empty list to fill next."""
        if rows:
            kept, refused = self._checker.check_references(rows) if self._checker else (rows, [])
            self.ledger.settle(kept, refused)
            if self.run.batch_keys is not None:
                self.run.batch_keys.add(self.spec, kept)
        return []

    def _flush(self, batch: list[MappedRow], through_row: int) -> list[MappedRow]:
        """Write a batch (or check it, in a dry run); returns a new list for the next one."""
        if not batch:
            return batch
        if self._writer is None:
            return self._check_here(batch)
        if self._background is None:
            self._background = BackgroundWriter(self._writer, self.ledger)
        self._background.submit(batch, through_row=through_row)
        return []

    def _finish(self, file_hash: str) -> None:
        run = self.run
        if any(e.on_missing_key == "record" for e in self.spec.entities.values()):
            self.report.candidate_links = link_candidates(
                run.gateway, file_hash=file_hash, run_id=run.run_id, now=run.now
            )
        run.gateway.write(
            "ingest.finish_file",
            cypher.FINISH_FILE,
            {
                "run": run.run_id,
                "spec": self.spec.name,
                "file": file_hash,
                "status": "completed",
                "read": self.ledger.read,
                "loaded": self.ledger.loaded,
                "rejected": self.ledger.rejected,
            },
        )

    def _tell(self, total: int) -> None:
        if self.run.progress:
            read = self.ledger.read
            self.run.progress(Progress(self.path, read, max(total, read), self.ledger.loaded, self.ledger.rejected))
