"""The default sample loads every good row, and every dirty file's loaded and rejected
counts and reasons equal the sample's ground truth."""

from __future__ import annotations

from collections import defaultdict

import pytest

from ingest.api import import_files
from ingest.rejects import read_rejects
from tests.conftest import sample_files

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def imported(gateway, schema, sample_dir, tmp_path_factory):
    from graph import admin

    admin.wipe(gateway)
    rejects = tmp_path_factory.mktemp("sample-rejects") / "rejects.csv"
    report = import_files(sample_files(sample_dir), schema=schema, gateway=gateway, rejects_path=rejects)
    return report, read_rejects(rejects)


def test_counts_per_file_equal_the_ground_truth(imported, ground_truth):
    report, _ = imported
    by_name = {f.path.name: f for f in report.files}
    assert set(by_name) == set(ground_truth["generated_files"])
    for name, expected in ground_truth["generated_files"].items():
        got = by_name[name]
        assert (got.rows_read, got.rows_loaded, got.rows_rejected) == (
            expected["rows"],
            expected["expected_loaded"],
            expected["expected_rejected"],
        ), name


def test_every_rejected_row_has_the_ground_truth_reason_and_column(imported, ground_truth):
    _, rejects = imported
    got = defaultdict(dict)
    for reject in rejects:
        got[reject["file"].rsplit("/", 1)[-1]][int(reject["row"])] = (reject["reason"], reject["column"] or None)
    for name, expected in ground_truth["generated_files"].items():
        want = {r["row"]: (r["reason"], r["column"]) for r in expected["rejects"]}
        assert got.get(name, {}) == want, name


def test_the_duplicate_identity_resolves_to_one_person(imported, gateway, ground_truth):
    scenario = next(s for s in ground_truth["scenarios"] if s["kind"] == "duplicate_identity")
    for positive in scenario["positives"]:
        resolution = positive["resolution"]
        row = gateway.read(
            "test.identity",
            "MATCH (p:Person {id_number: $id}) "
            "RETURN p.name AS name, [(p)-[:OWNS]->(v) | v.plate] AS plates, "
            "[(p)-[:HOLDS_LICENCE]->(l) | l.file_no] AS licences, "
            "[(r:PersonRecord)-[:CANDIDATE_MATCH]->(p) | r.name] AS records",
            {"id": resolution["person"]},
        ).data()
        assert len(row) == 1, "every source's variant is the same node"
        assert row[0]["name"] == resolution["name"], "the registry's spelling wins over a typo"
        for plate in positive["entities"].get("Vehicle", []):
            assert plate in row[0]["plates"]
        for licence in positive["entities"].get("DrivingLicence", []):
            assert licence in row[0]["licences"]
        assert len(row[0]["records"]) == len(resolution.get("candidate_records", []))
    for decoy in scenario["decoys"]:
        (person,) = decoy["entities"]["Person"]
        linked = gateway.read(
            "test.decoy",
            "MATCH (:PersonRecord)-[:CANDIDATE_MATCH]->(p:Person {id_number: $id}) RETURN count(*)",
            {"id": person},
        ).single_value()
        assert linked == 0, decoy["why_not"]
