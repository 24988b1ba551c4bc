"""On the default sample, every alert rule finds every planted scenario of its kind and
none of its decoys (ground_truth.json says which is which).

The sample is generated and imported in a child process: an import that fails, or
crashes the interpreter, fails this test with its output instead of ending the session.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# The child process loads the sample with these; importing them here too makes a broken
# importer or generator fail at collection, before a Neo4j server is started for nothing.
import ingest.api  # noqa: F401
import synth.generate  # noqa: F401
from access.actor import Actor
from graph import admin
from queries.alerts import run_rules
from queries.entities import entity_ref
from settings.table import PROJECT_ROOT
from tests.queries.ground_truth import merged_by_import, score, table

pytestmark = pytest.mark.slow

LOAD = """
import json, sys
from pathlib import Path
from graph.gateway import Gateway
from graph.model import schema_for
from settings.table import Settings
from ingest.api import import_files
from synth.generate import generate

out = Path(sys.argv[1])
generate(out)
truth = json.loads((out / "ground_truth.json").read_text(encoding="utf-8"))
settings = Settings.from_env()
with Gateway.open(settings) as gateway:
    report = import_files([out / name for name in truth["generated_files"]], schema=schema_for(settings),
                          gateway=gateway, rejects_path=out / "rejects.csv", batch_size=settings.batch_size)
print(json.dumps({"read": report.rows_read, "loaded": report.rows_loaded, "rejected": report.rows_rejected}))
"""


@pytest.fixture(scope="module")
def sample(gateway, neo4j_env, tmp_path_factory) -> dict:
    admin.wipe(gateway)
    out = tmp_path_factory.mktemp("sample")
    env = {**os.environ, **neo4j_env, "PYTHONPATH": str(PROJECT_ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", LOAD, str(out)], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=1200
    )
    if done.returncode != 0:
        pytest.fail(f"generating or importing the sample failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(Path(out, "ground_truth.json").read_text(encoding="utf-8"))


def stored_hits(gateway, schema) -> dict[str, list[set[str]]]:
    """Rule → the entity sets of the Alert nodes it stored."""
    records = gateway.read(
        "test.alerts", "MATCH (a:Alert)-[:INVOLVES]->(n) RETURN a.rule AS rule, a.alert_id AS id, collect(n) AS nodes"
    ).records
    out: dict[str, list[set[str]]] = {}
    for record in records:
        out.setdefault(record["rule"], []).append({str(entity_ref(n, schema)) for n in record["nodes"]})
    return out


def test_every_alert_rule_finds_its_planted_scenarios_and_no_decoy(sample, gateway, runner, schema):
    reports = run_rules(runner, Actor.cli("test", case_ref="ground-truth"))
    assert not any(r.truncated for r in reports)
    kinds, rules = score(sample, stored_hits(gateway, schema))
    print("\n" + table(kinds, rules))
    for kind in kinds.values():
        assert kind.missed == [], f"{kind.kind}: positives not found: {kind.missed}"
        assert kind.decoys_hit == [], f"{kind.kind}: decoys raised alerts: {kind.decoys_hit}"
    for rule in rules.values():
        assert rule.precision == 1.0, f"{rule.rule}: {rule.hits - rule.true_hits} hits match no planted scenario"


def test_a_second_run_adds_no_alert(sample, gateway, runner):
    run_rules(runner, Actor.cli("test"))
    before = gateway.read("test.count", "MATCH (a:Alert) RETURN count(a)").single_value()
    reports = run_rules(runner, Actor.cli("test"))
    assert sum(r.created for r in reports) == 0
    assert gateway.read("test.count", "MATCH (a:Alert) RETURN count(a)").single_value() == before


def test_duplicate_identities_without_a_record_left_are_merged_by_the_import(sample, gateway):
    # Such a positive gives no alert to find: the import must have made one person of it.
    positives = [
        p
        for s in sample["scenarios"]
        if s["kind"] == "duplicate_identity"
        for p in s["positives"]
        if merged_by_import("duplicate_identity", p)
    ]
    for positive in positives:
        [person] = positive["entities"]["Person"]
        linked = gateway.read(
            "test.merged",
            "MATCH (p:Person {id_number: $id}) "
            "RETURN count(p) AS people, [(p)-[:HOLDS_LICENCE]->(l) | l.file_no] AS licences",
            {"id": person},
        ).records[0]
        assert linked["people"] == 1
        assert set(positive["entities"].get("DrivingLicence", [])) <= set(linked["licences"])


def test_every_alert_on_the_sample_has_its_severity_and_a_summary_in_each_language(sample, gateway, runner):
    run_rules(runner, Actor.cli("test"))
    rows = gateway.read(
        "test.summaries",
        "MATCH (a:Alert) RETURN a.rule AS rule, a.severity AS severity, a.summary AS zh, a.summary_en AS en",
    ).data()
    severities = {q.id: q.severity for q in runner.catalog.alert_rules()}
    assert {row["rule"] for row in rows} == set(severities), "every rule fires on the sample"
    for row in rows:
        assert row["severity"] == severities[row["rule"]]
        assert row["zh"] and row["en"] and row["zh"] != row["en"], row
        assert "{" not in row["zh"] + row["en"] and "None" not in row["zh"] + row["en"], row
