"""The case book as a records system exports it — thirteen files with the headers people type,
British dates, numbers written every which way — loads with a manifest and thirteen specs into
the same graph as its neo4j-admin files, and the guide gives the same answers."""

from __future__ import annotations

import pytest

from access.actor import Actor
from access.audit.log import AuditLog
from graph import admin, ddl
from graph.model import load_schema
from ingest.api import import_files
from ingest.graph_files import graph_files, import_graph_files
from ingest.manifest import load_manifest
from queries.pack_model import load_catalog
from queries.runner import Runner
from settings.table import PROJECT_ROOT
from synth.casebook import write_casebook
from synth.casebook.messy import write_messy_casebook
from tests.exchange.conftest import counts

BASE = PROJECT_ROOT / "graph" / "schema"
CASEBOOK = PROJECT_ROOT / "synth" / "casebook"
SUPERVISOR = Actor("a-supervisor", "supervisor", case_ref="UK-2025-0001", reason="intelligence_analysis")


@pytest.fixture
def casebook_schema():
    return load_schema(BASE, CASEBOOK / "schema")


def test_the_messy_export_loads_into_the_same_graph(gateway, casebook_schema, neo4j_settings, tmp_path):
    book = write_casebook(tmp_path / "admin", persons=150)
    messy = tmp_path / "messy"
    written = write_messy_casebook(book.folder, messy)
    catalog = load_catalog(casebook_schema, [CASEBOOK / "packs" / "casebook.yaml"], required=())
    guide = Runner(gateway, catalog, casebook_schema, neo4j_settings, AuditLog(tmp_path / "audit.jsonl"))
    questions = [q for q in catalog.queries if q != "casebook.degrees_apart"]

    def answers():
        # An analysis row's `id` is the node's element id, which a second load does not keep.
        return {q: [{k: v for k, v in row.items() if k != "id"} for row in guide.run(q, actor=SUPERVISOR).rows]
                for q in questions}  # fmt: skip

    admin.wipe(gateway)
    ddl.apply_schema(gateway, casebook_schema)
    try:
        import_graph_files(
            graph_files(book.folder),
            schema=casebook_schema,
            gateway=gateway,
            work_dir=tmp_path / "work",
            rejects_path=tmp_path / "admin-rejects.csv",
        )
        expected_counts, expected = counts(gateway), answers()
        admin.wipe(gateway)
        report = import_files(
            load_manifest(messy / "dataset.yaml"),
            schema=casebook_schema,
            gateway=gateway,
            rejects_path=tmp_path / "messy-rejects.csv",
        )
        assert report.rows_rejected == 0, (tmp_path / "messy-rejects.csv").read_text(encoding="utf-8-sig")
        assert report.rows_read == sum(written.values())
        assert len(written) == 13
        assert counts(gateway) == expected_counts
        assert answers() == expected
    finally:
        admin.wipe(gateway)
