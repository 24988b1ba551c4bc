"""A first load of an empty store with Neo4j's own importer (`goldenbell ingest --bulk`).

The files go through the same planning, mapping, validation, duplicate check and reject
file as `goldenbell ingest`; the rows that load are staged in memory (ingest/bulk/stage.py),
the addresses placed in their compounds (ingest/bulk/compounds.py), and all of it written
as import files and loaded by `neo4j-admin database import full` with the server stopped.
The server is then started, the schema's constraints and indexes are created, and what the
online importer does after a batch runs as usual: the run's bookkeeping (ImportRun,
SourceFile, READ_FILE), candidate links of person records and the case reports' mentions.
A file imported so is complete for a later `goldenbell ingest`, which carries on from
there. Person records are scored against every person of the batch, where the online
importer scores them after their own file, so a record may also find a person that a later
file brings.

Two pieces run in processes of their own (ingest/bulk/beside.py), on the core the mapping
leaves: passage files of the batch go to the event store as `goldenbell events import`
stores them (the same checks, rejects and partitions, the places known from the staged
graph) once the batch's place files are read, and the case reports' texts go through the
extraction's first steps once the case files are read and through its gazetteer once the
registries are (ingest/bulk/case_mentions.py), their mentions linked after the load.
The passages' SEEN_AT and DROVE links, aggregated in the store, go to the importer with
the rest (ingest/bulk/passage_links.py) instead of through Cypher afterwards.

All or nothing for the graph: nothing reaches it before the importer runs, so a run stopped
while reading leaves it empty, and a rerun starts again. Passages a stopped run stored stay
in the event store; the rerun finds them stored and stages their links all the same.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from time import monotonic

from events.lookup import Lookups
from events.store import EventStore
from graph import bulk_import, ddl, local_server
from graph.gateway import Gateway
from graph.model import Schema
from ingest import cypher
from ingest.api import ImportReport, new_run_id, planned_report, repeated_file
from ingest.batch import BatchFile, PlannedFile, plan_batch
from ingest.bulk.beside import Beside
from ingest.bulk.case_mentions import MentionsBeside
from ingest.bulk.compounds import place_staged_addresses
from ingest.bulk.files import ARRAY_DELIMITER, ImportFiles, write_import_files
from ingest.bulk.heap import collector_paused
from ingest.bulk.parallel import ParallelMapping
from ingest.bulk.passage_links import stage_passage_links, write_passage_links, writes_passage_links
from ingest.bulk.stage import StagedFile, StagedGraph
from ingest.duplicates import DuplicateFinder
from ingest.extraction.hook import CaseTexts
from ingest.file_import import FileImport, FileReport, Progress, RunContext, estimated_rows
from ingest.ledger import Ledger
from ingest.mapping import MappedRow, Reject, RowMapper
from ingest.passages.importer import PassageFileReport, import_passage_file, is_passage_spec
from ingest.passages.seen_at import PLACES
from ingest.readers.base import RawRow
from ingest.rejects import RejectWriter
from ingest.resolution import link_candidates
from ingest.spec_headers import resolve_headers
from settings.home import private_dir
from settings.table import Settings

INDEX_SECONDS = 3600  # a city's indexes take a minute or two; the bound is for a store far larger
PASSAGE_REJECTS = "passage-rejects.csv"  # in the load's work folder, until copied into the reject file
# Smaller files are mapped in the reading process: starting workers costs more than they save.
PARALLEL_FROM_BYTES = 1 << 20


def default_workers() -> int:
    """Mapping workers beside the reading process: one core fewer than the machine has, as
    the reading process is busy too (reading, staging, fingerprints) and each row crosses
    to a worker and back. On two cores, then, none: 200,000 rows of the city's household
    registry, floating registrations and licences mapped 7–19 % faster in the reading
    process alone than with two workers beside it, and slower still with one."""
    return max(1, (os.cpu_count() or 1) - 1)


class BulkLoadRefused(RuntimeError):
    """The store is not one a bulk load may replace; nothing was read or written."""


class StagedFileImport(FileImport):
    """One file read, mapped and checked as `goldenbell ingest` does, its rows staged."""

    def __init__(self, run: RunContext, plan: PlannedFile, graph: StagedGraph, *, workers: int = 1):
        super().__init__(run, plan.path, plan.source, plan.spec, name=plan.name, file_hash=plan.file_hash)
        self._workers = workers
        self.file_hash = plan.file_hash
        self._graph = graph
        self._staged: StagedFile | None = None
        self.last_row = 0  # the file's last row, which READ_FILE records as committed

    def import_file(self) -> FileReport:
        began = monotonic()
        headers = resolve_headers(self.spec, self.source.header, self.path)
        mapper = self._mapper = RowMapper(self.spec, headers, self.run.schema)
        self._staged = self._graph.file(self.spec, self.file_hash, mapper.key_columns())
        self.case_texts = CaseTexts.for_spec(self.spec, file_hash=self.file_hash)
        total = estimated_rows(self.source)
        self._read(mapper, total)
        self._tell(total)
        self.report.seconds = monotonic() - began
        return self.report

    def _duplicates(self) -> DuplicateFinder:
        # The staged graph is in memory anyway: the fingerprints may be too, never spilled to disk.
        return DuplicateFinder(in_memory_limit=sys.maxsize)

    def _mapped(self, mapper: RowMapper) -> Iterator[tuple[RawRow, MappedRow | Reject, int | None]]:
        if self._workers < 2 or self.path.stat().st_size < PARALLEL_FROM_BYTES:
            yield from super()._mapped(mapper)
            return
        with ParallelMapping(mapper, self._workers) as mapping:
            yield from mapping.outcomes(self.source.rows())

    def _flush(self, batch: list[MappedRow], through_row: int) -> list[MappedRow]:
        if batch:  # as the online importer saves its progress: with each batch written
            self.last_row = through_row
        return super()._flush(batch, through_row)

    def _check_here(self, rows: list[MappedRow]) -> list[MappedRow]:
        if rows:
            kept, refused = self._staged.add(rows)
            self.ledger.settle(kept, refused)
        return []


def bulk_import_files(
    paths: Iterable[Path | str | BatchFile],
    *,
    settings: Settings,
    schema: Schema,
    events: EventStore,
    rejects_path: Path,
    spec: str | None = None,
    specs_dir: Path | None = None,
    batch_size: int = 5000,
    user: str = "cli",
    run_id: str | None = None,
    progress: Callable[[Progress], None] | None = None,
    step: Callable[[str], None] = lambda _: None,
    workers: int | None = None,
) -> ImportReport:
    """Load a batch of files into the empty local store with Neo4j's importer; the server is
    left running. Raises SpecError or SourceError before anything is read, BulkLoadRefused
    when the store holds data (or the event store passages of other files), BulkImportError when the
    import tool fails. `step` hears each stage as it begins; `workers` processes map the
    rows of a large file (default: `default_workers()`; one means the reading process maps them)."""
    began = monotonic()
    run_id = run_id or new_run_id()
    now = datetime.now(UTC)
    plans, repeated = plan_batch(paths, schema, spec=spec, specs_dir=specs_dir)
    passage_plans = [plan for plan in plans if is_passage_spec(plan.spec)]
    plans = [plan for plan in plans if not is_passage_spec(plan.spec)]
    batch_hashes = {plan.file_hash for plan in passage_plans}
    if any(receipt.sha256 not in batch_hashes for receipt in events.receipts()):
        # Only this batch's own passages may be there already: what a stopped run of it stored.
        raise BulkLoadRefused(
            "the event store already holds passages of other files, whose links a new graph would lose: a bulk "
            "load is for a new installation. Use `goldenbell ingest` without --bulk"
        )
    step("checking that the store is empty (the server is stopped after it)")
    _require_empty(settings)
    report = ImportReport(run_id=run_id, dry_run=False, files=[], rejects_path=rejects_path)
    graph = StagedGraph(schema)
    jobs: list[StagedFileImport] = []
    work = private_dir(settings.home.resolve() / "work")
    folder = Path(tempfile.mkdtemp(prefix=f"bulk-{run_id}-", dir=work))
    besides = _Besides()
    try:
        with collector_paused():
            rejects = RejectWriter(rejects_path)
            try:
                run = RunContext(schema, None, run_id, now, batch_size, rejects, False, False, progress)
                _read_batch(run, plans, passage_plans, graph, jobs, report, besides, events, folder, step, workers)
            finally:
                rejects.close()
            report.files += [repeated_file(p) for p in repeated]
            files = _write_files(graph, batch_hashes, events, folder, report, now=now, step=step)
        local_server.stop(settings)  # stopped after the check already, unless started since
        step("running Neo4j's importer")
        log = settings.home.resolve() / "bulk-import.log"
        bulk_import.run_import(
            settings,
            files.nodes,
            files.relationships,
            multiline=files.multiline,
            array_delimiter=ARRAY_DELIMITER,
            log=log,
        )
    except BaseException:
        besides.stop()
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=False)
    try:
        step("starting the local Neo4j")
        local_server.start(settings)
        with Gateway.open(settings) as gateway:
            step("creating constraints and indexes")
            # Linking needs the lookups' indexes only: the search indexes fill meanwhile.
            ddl.apply_schema(gateway, schema, await_seconds=INDEX_SECONDS, awaited=ddl.LOOKUP_TYPES)
            step("linking what the online importer links after a batch")
            _after_load(gateway, schema, jobs, report, besides.extraction, user=user, now=now, step=step)
            step("waiting for the search indexes")
            ddl.await_indexes(gateway, INDEX_SECONDS)
    finally:
        besides.stop()
    report.seconds = monotonic() - began
    return report


@dataclass
class _Besides:
    """The load's work in processes of their own, to stop should the load fail."""

    passages: Beside | None = None
    extraction: MentionsBeside | None = None

    def stop(self) -> None:
        for beside in (self.passages, self.extraction):
            if beside is not None:
                beside.stop()


def _read_batch(
    run: RunContext,
    plans: list[PlannedFile],
    passage_plans: list[PlannedFile],
    graph: StagedGraph,
    jobs: list[StagedFileImport],
    report: ImportReport,
    besides: _Besides,
    events: EventStore,
    folder: Path,
    step: Callable[[str], None],
    workers: int | None,
) -> None:
    """Read, map and stage the registries (a job each in `jobs`, a report each in `report`),
    with the passages stored and the case texts extracted beside them; the passage files'
    reports follow once they are stored."""
    places_read, texts_read = _places_read_by(plans), _texts_read_by(plans)
    for i, plan in enumerate(plans):
        if i == places_read and passage_plans:
            besides.passages = _store_beside(passage_plans, graph, run.schema, events, folder, run.run_id, step)
        if i == texts_read:
            besides.extraction = MentionsBeside.start(graph, _collected(jobs))
        step(f"reading {plan.name}")
        jobs.append(StagedFileImport(run, plan, graph, workers=workers or default_workers()))
        report.files.append(jobs[-1].import_file())
    besides.extraction = besides.extraction or MentionsBeside.start(graph, _collected(jobs))
    if besides.extraction is not None:
        besides.extraction.finish(graph, _collected(jobs))
    if passage_plans:
        besides.passages = besides.passages or _store_beside(
            passage_plans, graph, run.schema, events, folder, run.run_id, step
        )
        step("waiting for the passages to be stored")
        report.files += map(_file_report, passage_plans, besides.passages.result())
        run.rejects.copy(folder / PASSAGE_REJECTS)


def _write_files(
    graph: StagedGraph,
    batch_hashes: set[str],
    events: EventStore,
    folder: Path,
    report: ImportReport,
    *,
    now: datetime,
    step: Callable[[str], None],
) -> ImportFiles:
    """The links of the batch's passage files (by hash), then the staged graph, as import
    files in `folder`; the staged graph is emptied after."""
    passage_files: list[tuple[str, Path]] = []
    written = 0  # links DuckDB wrote as import files
    if batch_hashes:
        step("linking the vehicles seen to their places and known drivers")
        if writes_passage_links(graph):
            linked = write_passage_links(graph, events, batch_hashes, folder, run_id=report.run_id, now=now)
            staged, passage_files = linked.links, linked.files
            written = staged.seen_at + staged.drove
        else:
            staged = stage_passage_links(graph, events, batch_hashes)
        step(
            f"{staged.seen_at} seen-at and {staged.drove} drove links staged, "
            f"{staged.vehicles_added} vehicles no registry named"
        )
    step("placing the addresses in their compounds")
    report.addresses_placed = place_staged_addresses(graph)
    step(f"writing {graph.node_count} nodes and {graph.link_count + written} links as import files")
    files = write_import_files(graph, folder, run_id=report.run_id, now=now)
    files.relationships += passage_files
    # The staged graph can be the largest thing in memory, and the importer runs next.
    graph.nodes.clear()
    graph.links.clear()
    return files


def _places_read_by(plans: list[PlannedFile]) -> int:
    """How many of the plans are read before the passages can be stored: through the last
    that brings a place."""
    labels = {label for label, _ in PLACES.values()}
    brings = [i + 1 for i, plan in enumerate(plans) if any(e.label in labels for e in plan.spec.entities.values())]
    return max(brings, default=0)


def _texts_read_by(plans: list[PlannedFile]) -> int:
    """How many of the plans are read before the case reports' texts are all staged: through
    the last whose spec extracts them."""
    return max((i + 1 for i, plan in enumerate(plans) if plan.spec.extract_text), default=0)


def _collected(jobs: list[StagedFileImport]) -> list[CaseTexts]:
    return [job.case_texts for job in jobs if job.case_texts is not None]


def _store_beside(
    plans: list[PlannedFile],
    graph: StagedGraph,
    schema: Schema,
    events: EventStore,
    folder: Path,
    run_id: str,
    step: Callable[[str], None],
) -> Beside:
    """Start storing the batch's passage files in another process, beside the registries
    still to be read; its rejects go to the folder's PASSAGE_REJECTS."""
    known = {label: set(graph.nodes[label]) for label, _ in PLACES.values()}
    names = ", ".join(plan.name for plan in plans)
    step(f"storing {names} in the event store, then its lookup copies, beside the other files")
    # Forked: the plans and the store need not pickle, and this process is small yet.
    rejects = folder / PASSAGE_REJECTS
    return Beside("storing the passages", _store_passages, plans, known, schema, events, rejects, run_id)


def _store_passages(
    plans: list[PlannedFile],
    known: dict[str, set],
    schema: Schema,
    events: EventStore,
    rejects_path: Path,
    run_id: str,
) -> list[PassageFileReport]:
    """The batch's passage files into the event store, checked against the staged places."""
    rejects = RejectWriter(rejects_path)
    try:
        stored = [
            import_passage_file(
                plan.path,
                plan.source,
                plan.spec,
                schema=schema,
                store=events,
                known_places=known,
                rejects=rejects,
                run_id=run_id,
            )
            for plan in plans
        ]
    finally:
        rejects.close()
    Lookups(events).refresh()
    return stored


def _file_report(plan: PlannedFile, stored: PassageFileReport) -> FileReport:
    ledger = Ledger()
    ledger.read, ledger.loaded, ledger.rejected_here = stored.rows_read, stored.rows_loaded, stored.rows_rejected
    ledger.reasons.update(stored.reasons)
    return planned_report(plan, ledger=ledger, skipped=stored.skipped, seconds=stored.seconds)


def _require_empty(settings: Settings) -> None:
    running = local_server.read_state(settings) is not None
    if not running and not (settings.neo4j_home / "data" / "databases" / bulk_import.DATABASE).exists():
        return  # a store never started holds nothing: no need to start it to ask
    if not running:
        local_server.start(settings)
    gateway = Gateway.open(settings)
    try:
        held = gateway.read("ingest.bulk.empty", "RETURN COUNT { MATCH (n) } AS nodes").records[0]["nodes"]
    finally:
        gateway.close()
    if not held:
        # Reading the files needs no server, and the importer a stopped one: its cores and
        # memory go to mapping meanwhile.
        local_server.stop(settings)
        return
    raise BulkLoadRefused(
        f"the database holds {held} nodes, and a bulk load replaces the whole database: it is for a first "
        "load. Add to this one with `goldenbell ingest` without --bulk, or empty it first with "
        "`goldenbell db wipe --yes`"
    )


def _after_load(
    gateway: Gateway,
    schema: Schema,
    jobs: list[StagedFileImport],
    report: ImportReport,
    extraction: MentionsBeside | None,
    *,
    user: str,
    now: datetime,
    step: Callable[[str], None],
) -> None:
    run_id = report.run_id
    specs = ",".join(sorted({job.spec.name for job in jobs}))
    gateway.write("ingest.start_run", cypher.START_RUN, {"run": run_id, "now": now, "spec": specs, "user": user})
    for job in jobs:
        ledger, common = job.ledger, {"run": run_id, "spec": job.spec.name, "file": job.file_hash}
        gateway.write(
            "ingest.start_file",
            cypher.START_FILE,
            {
                **common,
                "name": job.path.name,
                "size": job.path.stat().st_size,
                "encoding": job.source.encoding,
                "now": now,
                "resume_from": job.last_row,
                "loaded": ledger.loaded,
                "rejected": ledger.rejected,
            },
        )
        if any(e.on_missing_key == "record" for e in job.spec.entities.values()):
            job.report.candidate_links = link_candidates(gateway, file_hash=job.file_hash, run_id=run_id, now=now)
        gateway.write(
            "ingest.finish_file",
            cypher.FINISH_FILE,
            {
                **common,
                "status": "completed",
                "read": ledger.read,
                "loaded": ledger.loaded,
                "rejected": ledger.rejected,
            },
        )
    if extraction is not None:
        step("waiting for the case reports' mentions")
    extracted = extraction.result() if extraction is not None else None
    step("linking the case reports' mentions")
    for job in jobs:
        if job.case_texts is not None:
            job.report.mentions = job.case_texts.link(gateway, schema, run_id=run_id, now=now, extracted=extracted)
    # The run's counts are its graph files', as its READ_FILE links: the event store keeps
    # its own receipt of each passage file, as after `goldenbell events import`.
    gateway.write(
        "ingest.finish_run",
        cypher.FINISH_RUN,
        {
            "run": run_id,
            "status": "completed",
            "now": datetime.now(UTC),
            "read": sum(job.ledger.read for job in jobs),
            "loaded": sum(job.ledger.loaded for job in jobs),
            "rejected": sum(job.ledger.rejected for job in jobs),
        },
    )


__all__ = ["BulkLoadRefused", "bulk_import_files"]
