"""With passages in the event store, the import page sends a batch of passage files there, as
`goldenbell events import` does: every row stored or rejected with its reason, the new
passages on the map at once; a batch mixing them with other files, or a dry run of them,
is refused with a clear message and imports nothing."""

from __future__ import annotations

import json

import pytest

from ingest.spec import SpecError
from tests.geo_graph import PLATE
from workbench import importing, resources
from workbench.investigator import Investigator

SUPERVISOR = Investigator(user="sup", role="supervisor", case_ref="JX-2025-0142", reason="fugitive_search")


def gate_file(folder, name="gate_passages_new.jsonl"):
    path = folder / name
    rows = [
        {"recordId": "NEW1", "plateNo": PLATE, "gateId": "MJ1", "passTime": "2025-03-02T08:00:00.000+08:00"},
        {"recordId": "NEW2", "plateNo": "浙F1234I", "gateId": "MJ1", "passTime": "2025-03-02T08:05:00.000+08:00"},
    ]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_a_batch_of_passage_files_goes_to_the_event_store(stored_city, tmp_path, audit_path):
    workspace = resources.workspace()
    before = len(workspace.events.receipts())
    report = importing.run_import(workspace, [gate_file(tmp_path)], SUPERVISOR, spec=None, dry_run=False)
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (2, 1, 1)
    assert "plate.invalid" in report.rejects_path.read_text(encoding="utf-8-sig")
    assert len(workspace.events.receipts()) == before + 1
    seen = stored_city.read(
        "test.seen",
        "MATCH (:Vehicle {plate: $plate})-[s:SEEN_AT]->(:Gate {gate_id: 'MJ1'}) RETURN s.passages AS n",
        {"plate": PLATE},
    ).single_value()
    assert seen == 2, "the gate's link counts the new passage"
    assert stored_city.read("test.nodes", "MATCH (p:Passage) RETURN count(p)").single_value() == 0


def test_a_mixed_batch_or_a_dry_run_of_passages_is_refused(stored_city, tmp_path):
    workspace = resources.workspace()
    places = tmp_path / "checkpoints.csv"
    places.write_text("检查站编号,检查站名称,所在道路,经度,纬度\nJCZ9,九号,路,120.7,30.7\n", encoding="utf-8")
    before = len(workspace.events.receipts())
    with pytest.raises(SpecError, match="on their own"):
        importing.run_import(workspace, [places, gate_file(tmp_path)], SUPERVISOR, spec=None, dry_run=False)
    with pytest.raises(SpecError, match="no dry run"):
        importing.run_import(workspace, [gate_file(tmp_path)], SUPERVISOR, spec=None, dry_run=True)
    assert len(workspace.events.receipts()) == before
    assert (
        stored_city.read("test.nine", "MATCH (c:Checkpoint {checkpoint_id: 'JCZ9'}) RETURN count(c)").single_value()
        == 0
    )
