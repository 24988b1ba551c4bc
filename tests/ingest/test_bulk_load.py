"""`goldenbell ingest --bulk`: the sample loaded through Neo4j's own importer gives the graph
and event store that `goldenbell ingest` then `goldenbell events import` give, with the same
accounting and rejects; a store with data is refused; the online importer carries on from
the bulk load."""

from __future__ import annotations

import csv
import gc
import json
import shutil
import socket
from collections import Counter
from pathlib import Path

import pytest

from events.store import EventStore
from graph import local_server
from graph.gateway import Gateway
from ingest.api import import_files
from ingest.bulk.load import BulkLoadRefused, bulk_import_files
from ingest.passages.run import graph_places, import_passages
from settings.table import Settings
from tests.conftest import sample_files, server_env
from workspace import Workspace

PASSAGES = ("checkpoint_passages.csv", "gate_passages.jsonl")
# Written per run, or at the moment of writing; `prov_row` may name another row of the same
# file that gives the same node (see ingest/bulk/stage.py).
VOLATILE = {"prov_run", "prov_row", "first_seen", "last_seen", "started_at", "finished_at", "run_id", "user"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _graph(gateway: Gateway) -> Counter:
    """Every node and relationship as its labels/type and properties (with its ends'), counted."""
    nodes = gateway.read("test.nodes", "MATCH (n) RETURN elementId(n) AS id, labels(n) AS l, properties(n) AS p")
    rels = gateway.read(
        "test.rels", "MATCH (a)-[r]->(b) RETURN elementId(a) AS a, type(r) AS t, elementId(b) AS b, properties(r) AS p"
    )

    def shown(props: dict) -> str:
        return json.dumps(sorted((k, str(v)) for k, v in props.items() if k not in VOLATILE), ensure_ascii=False)

    named = {r["id"]: (tuple(sorted(r["l"])), shown(r["p"])) for r in nodes.records}
    held = Counter(named.values())
    held.update((named[r["a"]], r["t"], named[r["b"]], shown(r["p"])) for r in rels.records)
    return held


def _is(item: tuple, rel_type: str, end_label: str) -> bool:
    return len(item) == 4 and item[1] == rel_type and end_label in item[2][0]


def _plate_mention(item: tuple) -> bool:
    return len(item) == 2 and item[0] == ("Mention",) and '["entity_type", "plate"]' in item[1]


def _candidate(item: tuple) -> bool:
    return len(item) == 4 and item[1] == "CANDIDATE_MATCH"


def _rejects(path: Path, *, header_first: bool = False) -> list[tuple]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = [tuple(row) for row in csv.reader(f)]
    return rows[:1] + sorted(rows[1:]) if header_first else sorted(rows)


@pytest.fixture(scope="module")
def bulk_settings(tmp_path_factory) -> Settings:
    home = tmp_path_factory.mktemp("bulk") / "home"
    settings = Settings.from_env(server_env(home, _free_port()))
    yield settings
    local_server.stop(settings)
    shutil.rmtree(home, ignore_errors=True)


def _stored(store: EventStore) -> list[tuple]:
    """Every stored passage but the run that stored it, in one order."""
    with store.connect() as con:
        return con.execute("SELECT * EXCLUDE (run_id) FROM passages ORDER BY ALL").fetchall()


def test_a_bulk_load_gives_the_online_graph(empty_graph, schema, sample_dir, bulk_settings, tmp_path, monkeypatch):
    monkeypatch.setattr("ingest.bulk.load.PARALLEL_FROM_BYTES", 0)  # the sample's files map in two workers too
    files = [path for path in sample_files(sample_dir) if path.name not in PASSAGES]
    passages = [sample_dir / name for name in PASSAGES]
    online = import_files(files, schema=schema, gateway=empty_graph, rejects_path=tmp_path / "online.csv")
    online_events = EventStore(tmp_path / "online-events")
    stored = import_passages(
        passages,
        schema=schema,
        store=online_events,
        known_places=graph_places(empty_graph),
        rejects_path=tmp_path / "online-passages.csv",
        gateway=empty_graph,
    )
    steps: list[str] = []

    def refuse(*_args, **_kwargs):
        raise AssertionError("the bulk load extracts the case reports beforehand, in another process")

    monkeypatch.setattr("ingest.extraction.cases.extractor_for", refuse)
    with Workspace.open(bulk_settings) as workspace:
        bulk = bulk_import_files(
            files + passages,
            settings=bulk_settings,
            schema=schema,
            events=workspace.events,
            rejects_path=tmp_path / "bulk.csv",
            step=steps.append,
            workers=2,
        )
        assert _stored(workspace.events) == _stored(online_events)
    assert "running Neo4j's importer" in steps
    assert gc.isenabled(), "the cycle collector, held off while staging, runs again"
    assert stored.seen_at > 1000 and stored.drove > 0
    assert any(f"{stored.seen_at} seen-at and {stored.drove} drove links staged" in s for s in steps), steps
    assert local_server.read_state(bulk_settings) is not None, "the server is left running"

    # The same accounting, file by file, and the same reject file.
    def accounts(files):
        return {
            (Path(f.path).name, f.rows_read, f.rows_loaded, f.rows_rejected, tuple(sorted(f.reasons.items())))
            for f in files
        }

    assert accounts(bulk.files) == accounts(online.files + stored.files)
    assert bulk.addresses_placed == online.addresses_placed > 0
    assert bulk.rows_read == bulk.rows_loaded + bulk.rows_rejected > 7000 + stored.rows_read
    assert bulk.rows_rejected > 0 and stored.rows_rejected > 0
    _header, *passage_rejects = _rejects(tmp_path / "online-passages.csv", header_first=True)
    assert _rejects(tmp_path / "bulk.csv") == sorted(_rejects(tmp_path / "online.csv") + passage_rejects)
    registries = [f for f in bulk.files if Path(f.path).name not in PASSAGES]
    assert {f.name: f.mentions for f in registries} == {f.name: f.mentions for f in online.files}

    # The same nodes, links and properties (provenance included), bookkeeping too.
    with Gateway.open(bulk_settings) as loaded:
        held = _graph(loaded)
        constraints = loaded.read("test.constraints", "SHOW CONSTRAINTS YIELD name RETURN count(*) AS n").records
    expected = _graph(empty_graph)
    assert sum(held.values()) > 20000
    # Candidate matches are scored once every file is in, not after each file: a record may
    # also find a person (or a phone of his) that a later file of the batch brings.
    candidates, expected_candidates = (Counter({k: n for k, n in g.items() if _candidate(k)}) for g in (held, expected))
    pairs = {(start, end) for start, _, end, _ in candidates}
    assert expected_candidates
    assert all((start, end) in pairs for start, _, end, _ in expected_candidates)
    held, expected = held - candidates, expected - expected_candidates
    # A plate a case report mentions is linked to its vehicle when only passages bring the
    # vehicle: the bulk load links mentions after the passages, the online import before them.
    linked, unresolved = held - expected, expected - held
    assert all(_is(item, "MENTIONS", "Vehicle") for item in linked), list(linked)[:3]
    assert all(_is(item, "HAS_MENTION", "Mention") or _plate_mention(item) for item in unresolved), list(unresolved)[:3]
    assert linked.total() == sum(n for item, n in unresolved.items() if _plate_mention(item)) > 0
    assert held - linked == expected - unresolved
    assert constraints[0]["n"] > 0, "the schema's constraints are created on the loaded store"


def test_a_bulk_load_refuses_a_store_with_data_or_other_passages(schema, sample_dir, bulk_settings, tmp_path):
    files = [path for path in sample_files(sample_dir) if path.name not in PASSAGES]
    other_passages = tmp_path / "checkpoint_passages.csv"
    with (sample_dir / PASSAGES[0]).open(encoding="utf-8-sig") as f:
        other_passages.write_text("".join(line for _, line in zip(range(101), f, strict=False)), encoding="utf-8")
    with Workspace.open(bulk_settings) as workspace:
        # The passages the first load stored are this batch's own, as in a rerun: only the graph refuses.
        with pytest.raises(BulkLoadRefused, match=r"holds \d+ nodes.*db wipe --yes"):
            bulk_import_files(
                files[:1] + [sample_dir / name for name in PASSAGES],
                settings=bulk_settings,
                schema=schema,
                events=workspace.events,
                rejects_path=tmp_path / "r.csv",
            )
        with pytest.raises(BulkLoadRefused, match="event store already holds passages of other files"):
            bulk_import_files(
                [other_passages],
                settings=bulk_settings,
                schema=schema,
                events=workspace.events,
                rejects_path=tmp_path / "r.csv",
            )
    assert not (tmp_path / "r.csv").exists()


def test_the_online_importer_carries_on_from_a_bulk_load(schema, sample_dir, bulk_settings, tmp_path):
    household = sample_dir / "household_registry.csv"
    some_passages = tmp_path / "checkpoint_passages.csv"
    with (sample_dir / PASSAGES[0]).open(encoding="utf-8-sig") as f:
        some_passages.write_text("".join(line for _, line in zip(range(201), f, strict=False)), encoding="utf-8")
    with Gateway.open(bulk_settings) as gateway:
        report = import_files(
            [household, some_passages], schema=schema, gateway=gateway, rejects_path=tmp_path / "more.csv"
        )
        by_name = {Path(f.name).name: f for f in report.files}
        assert "already imported completely" in (by_name["household_registry.csv"].skipped or "")
        passages = by_name["checkpoint_passages.csv"]
        assert passages.rows_read == 200 and passages.rows_loaded > 190
        linked = gateway.read(
            "test.passed_at", "MATCH (:Passage)-[:PASSED_AT]->(c:Checkpoint) RETURN count(DISTINCT c) AS n"
        ).records[0]["n"]
    assert linked > 1, "passages find the checkpoints the bulk load wrote"


def test_a_bulk_load_checks_references_by_another_property(tmp_path):
    """`match_on` in a bulk load: a value one staged node holds links the row to it, one that
    nobody holds is `reference.missing`, one that two hold is `reference.ambiguous`."""
    from graph.model import load_schema
    from tests.ingest import test_match_on as match

    folder = tmp_path / "schema"
    (folder / "nodes").mkdir(parents=True)
    (folder / "relationships").mkdir()
    (folder / "nodes" / "Subscriber.yaml").write_text(match.SUBSCRIBER, encoding="utf-8")
    (folder / "relationships" / "CALLED_SUBSCRIBER.yaml").write_text(match.CALLED_SUBSCRIBER, encoding="utf-8")
    schema = load_schema(match.BASE, folder)
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "subscribers.yaml").write_text(match.SUBSCRIBERS_SPEC, encoding="utf-8")
    (specs / "calls.yaml").write_text(match.CALLS_SPEC, encoding="utf-8")
    subscribers = match.write(tmp_path / "subscribers.csv", match.SUBSCRIBERS + "U3,陈静,13812345678,314002\n")
    calls = match.write(tmp_path / "calls.csv", match.CALLS)
    settings = Settings.from_env(server_env(tmp_path / "home", _free_port()))
    try:
        with Workspace.open(settings) as workspace:
            report = bulk_import_files(
                [calls, subscribers],
                settings=settings,
                schema=schema,
                events=workspace.events,
                rejects_path=tmp_path / "rejects.csv",
                specs_dir=specs,
            )
        with Gateway.open(settings) as gateway:
            linked = gateway.read("test.linked", match.LINKED).data()
    finally:
        local_server.stop(settings)
    assert (report.rows_loaded, report.rows_rejected) == (4, 2)
    assert linked == [{"caller": match.LI, "callee": "U2"}]
    by_row = {r[1]: r for r in _rejects(tmp_path / "rejects.csv") if r[1].isdigit()}
    assert by_row["2"][4] == "reference.ambiguous" and by_row["4"][4] == "reference.missing"


def test_a_bulk_load_of_the_foreign_shaped_case_book_gives_the_online_graph(gateway, tmp_path):
    """The case book as a records system exports it (thirteen files, a manifest, its own schema,
    British dates): a bulk load gives every node and link the online importer gives."""
    from graph import admin, ddl
    from graph.model import load_schema
    from ingest.manifest import load_manifest
    from settings.table import PROJECT_ROOT
    from synth.casebook import write_casebook
    from synth.casebook.messy import write_messy_casebook

    schema = load_schema(PROJECT_ROOT / "graph" / "schema", PROJECT_ROOT / "synth" / "casebook" / "schema")
    book = write_casebook(tmp_path / "admin", persons=150)
    write_messy_casebook(book.folder, tmp_path / "messy")
    manifest = tmp_path / "messy" / "dataset.yaml"
    admin.wipe(gateway)
    ddl.apply_schema(gateway, schema)
    settings = Settings.from_env(server_env(tmp_path / "home", _free_port()))
    try:
        online = import_files(load_manifest(manifest), schema=schema, gateway=gateway, rejects_path=tmp_path / "on.csv")
        expected = _graph(gateway)
        with Workspace.open(settings) as workspace:
            bulk = bulk_import_files(
                load_manifest(manifest),
                settings=settings,
                schema=schema,
                events=workspace.events,
                rejects_path=tmp_path / "bulk.csv",
            )
        with Gateway.open(settings) as loaded:
            held = _graph(loaded)
    finally:
        local_server.stop(settings)
        admin.wipe(gateway)
    assert (bulk.rows_read, bulk.rows_rejected) == (online.rows_read, online.rows_rejected) == (1513, 0)
    assert held == expected and sum(held.values()) > 3000
