"""The passages' links of a first load, written as import files by DuckDB, equal what
staging them in Python and writing the staged graph gives: the same vehicles added with the
same provenance, and the same links with the same values and provenance."""

from __future__ import annotations

import copy
import csv
from datetime import UTC, datetime
from pathlib import Path

from events.store import EventStore
from ingest.batch import plan_batch
from ingest.bulk.files import write_import_files
from ingest.bulk.load import StagedFileImport, _store_passages
from ingest.bulk.passage_links import KINDS, stage_passage_links, write_passage_links, writes_passage_links
from ingest.bulk.stage import FILE, ID, ROW, StagedGraph
from ingest.file_import import RunContext
from ingest.passages.importer import is_passage_spec
from ingest.passages.seen_at import PLACES
from ingest.rejects import RejectWriter
from tests.conftest import sample_files

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def _staged(schema, sample_dir: Path, tmp_path: Path) -> tuple[StagedGraph, EventStore, list[str]]:
    plans, _ = plan_batch(sample_files(sample_dir), schema)
    graph = StagedGraph(schema)
    rejects = RejectWriter(tmp_path / "rejects.csv")
    run = RunContext(schema, None, "run-1", NOW, 5000, rejects, False, False, None)
    for plan in plans:
        if not is_passage_spec(plan.spec):
            StagedFileImport(run, plan, graph).import_file()
    rejects.close()
    store = EventStore(tmp_path / "events")
    passages = [plan for plan in plans if is_passage_spec(plan.spec)]
    known = {label: set(graph.nodes[label]) for label, _ in PLACES.values()}
    stored = _store_passages(passages, known, schema, store, tmp_path / "passage-rejects.csv", "run-1")
    return graph, store, [report.sha256 for report in stored]


def _links(graph: StagedGraph, files: list[tuple[str, Path]]) -> set[tuple]:
    """Each link of these types as its ends' keys and its cells but the ids."""
    keys = {node[ID]: (label, key) for label, held in graph.nodes.items() for key, node in held.items()}
    out = set()
    for rel_type, path in files:
        with path.open(encoding="utf-8", newline="") as f:
            rows = csv.DictReader(f)
            for row in rows:
                start, end = keys[int(row.pop(":START_ID"))], keys[int(row.pop(":END_ID"))]
                out.add((rel_type, start, end, tuple(sorted(row.items()))))
    return out


def _vehicles(graph: StagedGraph) -> dict:
    return {key: (graph.sources[node[FILE]], node[ROW]) for key, node in graph.nodes["Vehicle"].items()}


def test_duckdb_writes_the_links_staging_would(schema, sample_dir, tmp_path):
    graph, store, hashes = _staged(schema, sample_dir, tmp_path)
    staged = copy.deepcopy(graph)
    assert writes_passage_links(graph)

    counted = stage_passage_links(staged, store, hashes)
    for kind in list(staged.links):
        if kind not in KINDS:
            del staged.links[kind]  # the registries' own links: written alike either way
    (tmp_path / "staged").mkdir()
    from_staging = write_import_files(staged, tmp_path / "staged", run_id="run-1", now=NOW)

    (tmp_path / "duckdb").mkdir()
    written = write_passage_links(graph, store, hashes, tmp_path / "duckdb", run_id="run-1", now=NOW)

    assert written.links == counted and counted.seen_at > 1000 and counted.drove > 0
    assert counted.vehicles_added > 0
    assert _vehicles(graph) == _vehicles(staged)
    by_duckdb = _links(graph, written.files)
    assert by_duckdb == _links(staged, from_staging.relationships)
    assert len(by_duckdb) == counted.seen_at + counted.drove
    assert all(path.stat().st_mode & 0o077 == 0 for _, path in written.files), "owner-only files"
