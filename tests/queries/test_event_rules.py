"""The event rules (DuckDB SQL over passages, places and graph tables) against their Cypher
twins: on the default sample both give the same rows, and the alert rules find every planted
scenario and no decoy. The event store's two relations are exported from the loaded graph,
and the graph tables read from it, so both engines read exactly the same facts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import duckdb
import neo4j.time
import pyarrow as pa
import pytest

from access.actor import Actor
from queries import event_parameters, event_rules, event_tables
from queries.event_rules import EventRuleError, UnknownRule
from queries.parameters import ParameterError
from queries.runner import Runner
from tests.queries.ground_truth import RULE_EVIDENCE, score

# The planted kind each event alert rule answers.
ALERT_RULES = {
    "vehicles.cloned_plates": "cloned_plate",
    "vehicles.co_travel": "co_travel",
    "vehicles.revoked_licence_driving": "revoked_licence_driving",
    "vehicles.hazmat_night_passages": "hazmat_night_passage",
    "vehicles.wanted_owner_passages": "wanted_person_active",
}
# Defaults, then looser settings and a period, so the comparison has more than a few rows.
ALERT_CASES = [
    ("vehicles.cloned_plates", {}),
    ("vehicles.cloned_plates", {"max_speed_kmh": 40}),
    ("vehicles.cloned_plates", {"max_speed_kmh": 60, "since": "2025-03-01", "until": "2025-06-30 12:00"}),
    ("vehicles.co_travel", {}),
    ("vehicles.co_travel", {"min_meetings_per_day": 1, "min_days": 2}),
    (
        "vehicles.co_travel",
        {"max_gap_minutes": 30, "min_meetings_per_day": 1, "min_days": 2, "since": "2025-03-01", "until": "2025-09-30"},
    ),
    ("vehicles.revoked_licence_driving", {}),
    ("vehicles.revoked_licence_driving", {"statuses": ["吊销", "暂扣", "注销"]}),
    ("vehicles.revoked_licence_driving", {"statuses": "吊销,暂扣,注销", "since": "2025-06-01", "until": "2025-09-30"}),
    ("vehicles.hazmat_night_passages", {}),
    (
        "vehicles.hazmat_night_passages",
        {"usages": ["危险货物运输", "货运"], "night_start_hour": 20, "night_end_hour": 7},
    ),
    ("vehicles.hazmat_night_passages", {"usages": "货运,公路客运", "since": "2025-04-01", "until": "2025-08-31 23:00"}),
    ("vehicles.wanted_owner_passages", {}),
    ("vehicles.wanted_owner_passages", {"kinds": ["在逃人员", "涉毒人员", "刑满释放人员", "其他重点人员"]}),
]
EXPIRED_CASES = [
    {"as_of": "2025-12-31"},
    {"grace_days": 0, "as_of": "2025-09-30"},
    {"grace_days": 30, "as_of": "2025-11-15", "limit": 20},
]

PASSAGES = """
MATCH (p:Passage)
OPTIONAL MATCH (p)-[:PASSED_AT]->(place)
OPTIONAL MATCH (p)-[:DRIVEN_BY]->(driver:Person)
OPTIONAL MATCH (p)-[:OF_VEHICLE]->(vehicle:Vehicle)
RETURN p.passage_id AS passage_id, p.plate AS plate, p.place_id AS place_id,
       CASE WHEN place:Checkpoint THEN 'checkpoint' WHEN place:Gate THEN 'gate' END AS source,
       p.time AS time, p.direction AS direction, p.lane AS lane, driver.id_number AS driver_id,
       vehicle.plate_colour AS plate_colour, p.prov_run AS run_id, p.prov_file AS source_file,
       p.prov_row AS source_row
"""
PLACES = """
MATCH (c) WHERE c:Checkpoint OR c:Gate
RETURN coalesce(c.checkpoint_id, c.gate_id) AS place_id, labels(c)[0] AS kind, c.name AS name,
       c.location.x AS longitude, c.location.y AS latitude
"""
PASSAGE_COLUMNS = pa.schema(
    [
        ("passage_id", pa.string()),
        ("plate", pa.string()),
        ("place_id", pa.string()),
        ("source", pa.string()),
        ("time", pa.timestamp("us", tz="Asia/Shanghai")),
        ("direction", pa.string()),
        ("lane", pa.int32()),
        ("driver_id", pa.string()),
        ("plate_colour", pa.string()),
        ("run_id", pa.string()),
        ("source_file", pa.string()),
        ("source_row", pa.int32()),
    ]
)
PLACE_COLUMNS = pa.schema(
    [
        ("place_id", pa.string()),
        ("kind", pa.string()),
        ("name", pa.string()),
        ("longitude", pa.float64()),
        ("latitude", pa.float64()),
    ]
)


@pytest.fixture(scope="module")
def store(graph):
    """An in-memory event store with the graph's passages and places, as the contract has them."""
    con = duckdb.connect()
    con.execute("SET TimeZone='Asia/Shanghai'")  # ICU is linked into the duckdb wheel
    rows = graph.read("test.passages", PASSAGES).data()
    for row in rows:
        row["time"] = row["time"].to_native()
    con.register("exported_passages", pa.Table.from_pylist(rows, schema=PASSAGE_COLUMNS))
    con.register(
        "exported_places", pa.Table.from_pylist(graph.read("test.places", PLACES).data(), schema=PLACE_COLUMNS)
    )
    con.execute(
        """CREATE TABLE passages AS
           SELECT passage_id, plate, place_id, source, time, (time AT TIME ZONE 'Asia/Shanghai')::DATE AS day,
                  direction, lane, driver_id, plate_colour, run_id, source_file, source_row
           FROM exported_passages"""
    )
    con.execute("CREATE TABLE places AS SELECT * FROM exported_places")
    event_tables.register(con, graph, event_tables.declared_in(event_rules.rules()))
    yield con
    con.close()


@pytest.fixture
def cypher(runner: Runner):
    """Rows of a pack query run by the project's runner, as plain Python values."""

    def run(query_id: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        outcome = runner.run(query_id, params, actor=Actor.cli("test", case_ref="event-rules"))
        assert not outcome.truncated
        return [{key: native(value) for key, value in record.items()} for record in outcome.records]

    return run


def native(value: Any) -> Any:
    if isinstance(value, neo4j.time.DateTime | neo4j.time.Date):
        return value.to_native()
    return value


def keyed(rows: list[dict[str, Any]], columns: list[str]) -> set[tuple]:
    """Rows as comparable tuples; lists (place names, in whatever order Cypher gathered them) sorted."""
    return {tuple(tuple(sorted(row[c])) if isinstance(row[c], list) else row[c] for c in columns) for row in rows}


def hit_entities(rule_id: str, row: dict[str, Any]) -> set[str]:
    """The entities of an alert rule's row, as ground_truth.score names them (Label:key)."""
    return {f"{e.label}:{row[e.column]}" for e in event_rules.rule(rule_id).alert}


def planted(ground_truth: dict) -> dict:
    """The planted scenarios the event alert rules answer: every decoy, and the positives
    holding the evidence the rule reads (a wanted person's vehicle, not their purchases)."""
    kept = []
    for rule_id, kind in ALERT_RULES.items():
        evidence = RULE_EVIDENCE.get(rule_id)
        for s in ground_truth["scenarios"]:
            if s["kind"] == kind:
                positives = [p for p in s["positives"] if evidence is None or evidence in p["entities"]]
                kept.append({**s, "positives": positives})
    return {"scenarios": kept}


@pytest.mark.slow
@pytest.mark.parametrize(("rule_id", "params"), ALERT_CASES)
def test_alert_rules_give_the_cypher_rules_hits(store, cypher, rule_id, params):
    mine = event_rules.run(store, rule_id, params)
    theirs = cypher(rule_id, params)
    assert mine, "no hits: the comparison would show nothing"
    assert len(mine) == len(theirs)
    plain = set(theirs[0]) - {"entities"}
    # Every plain column; beyond them only the keys of the entities the twin returns as nodes,
    # and the passages behind the hit.
    assert plain <= set(mine[0])
    rule = event_rules.rule(rule_id)
    assert set(mine[0]) - plain <= {e.column for e in rule.alert} | {rule.evidence}
    columns = sorted(plain)
    assert keyed(mine, columns) == keyed(theirs, columns)


@pytest.mark.slow
def test_alert_rules_find_every_planted_scenario_and_no_decoy(store, ground_truth):
    hits = {rule_id: [hit_entities(rule_id, row) for row in event_rules.run(store, rule_id)] for rule_id in ALERT_RULES}
    kinds, rules = score(planted(ground_truth), hits)
    assert set(kinds) == set(ALERT_RULES.values())
    for kind in kinds.values():
        assert kind.positives and kind.missed == [], f"{kind.kind}: positives not found: {kind.missed}"
        assert kind.decoys_hit == [], f"{kind.kind}: decoys hit: {kind.decoys_hit}"
    for rule in rules.values():
        assert rule.precision == 1.0, f"{rule.rule}: {rule.hits - rule.true_hits} hits match no planted scenario"


@pytest.fixture(scope="module")
def plates(store, ground_truth) -> list[str]:
    """The planted vehicles, and the plate seen most often."""
    planted = {
        plate
        for s in ground_truth["scenarios"]
        if s["kind"] in ("cloned_plate", "co_travel")
        for p in s["positives"]
        for plate in p["entities"]["Vehicle"]
    }
    [(busiest,)] = store.execute("SELECT plate FROM passages GROUP BY plate ORDER BY count(*) DESC LIMIT 1").fetchall()
    return [*sorted(planted), busiest]


@pytest.mark.slow
@pytest.mark.parametrize("params", [{}, {"limit": 25, "since": "2025-02-01", "until": "2025-10-31 18:00"}])
def test_trajectories_are_the_cypher_ones(store, cypher, plates, params):
    for plate in plates:
        mine = event_rules.run(store, "vehicles.trajectory", {"plate": plate, **params})
        theirs = cypher("vehicles.trajectory", {"plate": plate, **params})
        assert mine, plate
        shown = ("time", "place_id", "place", "place_kind", "direction")
        assert [tuple(r[c] for c in shown) for r in mine] == [tuple(r[c] for c in shown) for r in theirs], plate
        where = [(r["longitude"], r["latitude"]) for r in mine]
        assert where == [(r["location"].x, r["location"].y) for r in theirs]


@pytest.mark.slow
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"min_days": 1, "max_gap_minutes": 30, "checkpoints_only": False, "since": "2025-01-15", "until": "2025-11-30"},
    ],
)
def test_companions_are_the_cypher_ones(store, cypher, plates, params):
    shown = ("companion", "days", "passages", "places", "first_seen", "last_seen")
    found = 0
    for plate in plates:
        mine = event_rules.run(store, "vehicles.companions", {"plate": plate, **params})
        theirs = cypher("vehicles.companions", {"plate": plate, **params})
        found += len(mine)
        # The same rows in the same order; place names sorted (Cypher keeps the order it met them in).
        rows = [[tuple(sorted(r[c])) if c == "places" else r[c] for c in shown] for r in mine]
        assert rows == [[tuple(sorted(r[c])) if c == "places" else r[c] for c in shown] for r in theirs], plate
    assert found


@pytest.mark.slow
@pytest.mark.parametrize("params", [*EXPIRED_CASES, {}])
def test_expired_registrations_still_seen_are_the_cypher_ones(store, cypher, params):
    if not params and datetime.now(UTC).date() != event_parameters.today():
        pytest.skip("00:00-08:00 in Beijing: the twin's date() is UTC's day, the rule's $today Beijing's")
    mine = event_rules.run(store, "floating_population.expired_still_seen", params)
    theirs = cypher("floating_population.expired_still_seen", params)
    assert mine
    shown = ("name", "address_text", "expired_on", "sightings", "last_seen", "places")
    # The twin's person and address nodes are their keys here.
    assert keyed(mine, ["person_id", "address_id", *shown]) == {
        (
            r["person"]["id_number"],
            r["address"]["address_id"],
            *(tuple(sorted(r[c])) if c == "places" else r[c] for c in shown),
        )
        for r in theirs
    }
    assert [(r["last_seen"], r["name"]) for r in mine] == [(r["last_seen"], r["name"]) for r in theirs]


def test_the_rules_take_the_cypher_rules_parameters(catalog):
    ids = [rule.id for rule in event_rules.rules()]
    assert ids == sorted(
        (
            "vehicles.cloned_plates",
            "vehicles.co_travel",
            "vehicles.trajectory",
            "vehicles.companions",
            "vehicles.revoked_licence_driving",
            "vehicles.hazmat_night_passages",
            "vehicles.wanted_owner_passages",
            "floating_population.expired_still_seen",
        )
    )
    for rule in event_rules.rules():
        assert dict(rule.parameters) == dict(catalog.query(rule.id).parameters), rule.id


@pytest.mark.parametrize(
    ("rule_id", "params", "named"),
    [
        ("vehicles.cloned_plates", {"max_speed_kmh": 5}, ["max_speed_kmh", "5", "minimum 30"]),
        ("vehicles.co_travel", {"min_days": 400}, ["min_days", "400", "maximum 365"]),
        ("vehicles.co_travel", {"gap": 3}, ["gap", "no such parameter", "max_gap_minutes"]),
        ("vehicles.trajectory", {}, ["plate", "required"]),
        ("vehicles.trajectory", {"plate": "浙F1"}, ["plate", "at least 7"]),
        ("vehicles.companions", {"plate": "浙F12345", "since": "last week"}, ["since", "last week"]),
    ],
)
def test_bad_parameters_are_refused_by_name(rule_id, params, named):
    with pytest.raises(ParameterError) as refused:
        event_rules.run(duckdb.connect(), rule_id, params)
    for text in named:
        assert text in str(refused.value)


def test_an_unknown_rule_is_refused_with_the_known_ones():
    known = r"known: floating_population\.expired_still_seen, vehicles\.cloned_plates"
    with pytest.raises(UnknownRule, match=rf"no event rule 'vehicles\.cloned'; {known}"):
        event_rules.run(duckdb.connect(), "vehicles.cloned")


RULE = """
rules:
  - id: test.fast
    names: {{zh: 快, en: Fast}}
    parameters:
      max_speed_kmh: {{type: float, names: {{zh: 车速, en: Speed}}, default: 150}}
    sql: |
      SELECT plate FROM passages
      WHERE speed > {use} -- '$in_a_comment' is no parameter
        AND note <> '$in_a_literal'
"""


@pytest.mark.parametrize(
    ("use", "fault"),
    [
        ("$max_speed", r"rule test\.fast: the SQL uses \$max_speed, which 'parameters' does not declare"),
        ("$1", r"rule test\.fast: the SQL uses \$1, which"),
        ("100", r"rule test\.fast: parameter\(s\) max_speed_kmh declared but not used"),
    ],
)
def test_a_rule_whose_parameters_and_sql_disagree_is_refused_naming_file_and_rule(tmp_path, use, fault):
    path = tmp_path / "bad.yaml"
    path.write_text(RULE.format(use=use), encoding="utf-8")
    with pytest.raises(EventRuleError, match=fault) as refused:
        event_rules.load_rules(tmp_path)
    assert str(path) in str(refused.value)


def test_a_rule_that_agrees_with_its_declaration_loads_and_runs(tmp_path):
    (tmp_path / "good.yaml").write_text(RULE.format(use="$max_speed_kmh"), encoding="utf-8")
    [rule] = event_rules.load_rules(tmp_path).values()
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE passages AS SELECT * FROM (VALUES ('浙F1', 200.0, ''), ('浙F2', 90.0, '')) t(plate, speed, note)"
    )
    assert event_rules.run(con, rule) == [{"plate": "浙F1"}]
    assert event_rules.run(con, rule, {"max_speed_kmh": "80"}) == [{"plate": "浙F1"}, {"plate": "浙F2"}]
