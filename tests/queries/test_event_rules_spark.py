"""One definition, two engines: every event rule, transpiled to Spark SQL and run by a local
Spark over the event store's Parquet files, gives DuckDB's rows on the same store — same
columns, same values, same order — and so finds the planted scenarios DuckDB finds.

The store is filled by the passage importer from the default sample's own files, with the
graph's places and graph tables, as in test_event_alerts.py; Spark reads the very Arrow
tables DuckDB was given."""

from __future__ import annotations

import json
import shutil
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

pytest.importorskip("pyspark", reason="pyspark is not installed: the Spark engine is optional")
pytest.importorskip("sqlglot", reason="sqlglot is not installed: the Spark engine is optional")
if shutil.which("java") is None:
    pytest.skip("no java on PATH: Spark needs a JVM", allow_module_level=True)

from events.store import EventStore
from queries import event_rules, event_tables
from queries.event_connection import open_events
from queries.event_rules import EventRuleError
from queries.event_spark import main, open_spark_events, run_on_spark, spark_sql
from tests.queries.event_store import stored_sample
from tests.queries.ground_truth import score
from tests.queries.test_event_rules import ALERT_CASES, ALERT_RULES, EXPIRED_CASES, hit_entities, planted

pytestmark = [
    pytest.mark.slow,
    # pyspark 4 warns about pandas 3 on import; the rules collect through Arrow, not pandas.
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]
TRAJECTORY_CASES = ({}, {"limit": 25, "since": "2025-02-01", "until": "2025-10-31 18:00"})
COMPANION_CASES = (
    {},
    {"min_days": 1, "max_gap_minutes": 30, "checkpoints_only": False, "since": "2025-01-15", "until": "2025-11-30"},
)


@pytest.fixture(scope="module")
def store(graph, schema, sample_dir, tmp_path_factory) -> EventStore:
    return stored_sample(graph, schema, sample_dir, tmp_path_factory.mktemp("spark-events"))


@pytest.fixture(scope="module")
def duck(store, graph):
    con = open_events(store, graph)
    yield con
    con.close()


@pytest.fixture(scope="module")
def places(duck) -> list[dict[str, Any]]:
    """The very places DuckDB joins with (the graph's)."""
    cursor = duck.execute("SELECT place_id, kind, name, longitude, latitude FROM places")
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture(scope="module")
def tables(duck) -> dict[str, pa.Table]:
    """The graph tables as open_events read them."""
    return {t.name: duck.table(t.name).to_arrow_table() for t in event_tables.declared_in(event_rules.rules())}


@pytest.fixture(scope="module")
def spark(store, places, tables):
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("goldenbell-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    # Cached: the sample's store is some 700 small files, read once instead of once a rule.
    open_spark_events(session, store.passages_dir, places, tables=tables, cache=True)
    yield session
    session.stop()


@pytest.fixture(scope="module")
def plates(duck, ground_truth) -> list[str]:
    """A few plates: a cloned one, one of a co-travelling pair (the other is its companion),
    and the plate seen most often."""
    chosen = []
    for kind in ("cloned_plate", "co_travel"):
        [first, *_] = [s for s in ground_truth["scenarios"] if s["kind"] == kind and s["positives"]]
        chosen.append(sorted(first["positives"][0]["entities"]["Vehicle"])[0])
    [(busiest,)] = duck.execute(
        "SELECT plate FROM passages GROUP BY plate ORDER BY count(*) DESC, plate LIMIT 1"
    ).fetchall()
    return [*chosen, busiest]


@pytest.fixture(scope="module")
def same_rows(spark, duck):
    """Spark's rows of a rule, checked against DuckDB's: the same columns and, in the rule's
    order (each rule orders its rows totally), the same values. Times compare as instants;
    the floats are the rule's own rounding (km, minutes) or the places' coordinates. Kept,
    so the scoring test reuses the alert rules' rows."""
    seen: dict[tuple[str, str], list[dict[str, Any]]] = {}

    def check(rule_id: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        key = (rule_id, json.dumps(params, sort_keys=True))
        if key not in seen:
            theirs = event_rules.run(duck, rule_id, params)
            mine = run_on_spark(spark, rule_id, params)
            assert [list(r) for r in mine] == [list(r) for r in theirs], (rule_id, params)
            assert [tuple(r.values()) for r in mine] == [tuple(r.values()) for r in theirs], (rule_id, params)
            seen[key] = mine
        return seen[key]

    return check


@pytest.mark.parametrize(("rule_id", "params"), ALERT_CASES)
def test_alert_rules_give_duckdbs_rows(same_rows, rule_id, params):
    assert same_rows(rule_id, params), "no rows: the comparison would show nothing"


def test_trajectories_and_companions_are_duckdbs(same_rows, plates):
    found = 0
    for plate in plates:
        for params in TRAJECTORY_CASES:
            assert same_rows("vehicles.trajectory", {"plate": plate, **params}), plate
        for params in COMPANION_CASES:
            found += len(same_rows("vehicles.companions", {"plate": plate, **params}))
    assert found


@pytest.mark.parametrize("params", [*EXPIRED_CASES, {}])
def test_expired_registrations_still_seen_are_duckdbs(same_rows, params):
    # Both engines take $today from goldenbell, so even the default agrees at any hour.
    assert same_rows("floating_population.expired_still_seen", params)


def test_every_rule_is_compared():
    compared = {rule_id for rule_id, _ in ALERT_CASES}
    compared |= {"vehicles.trajectory", "vehicles.companions", "floating_population.expired_still_seen"}
    assert compared == {r.id for r in event_rules.rules()}


def test_alert_rules_on_spark_find_every_planted_scenario_and_no_decoy(same_rows, ground_truth):
    hits = {rule_id: [hit_entities(rule_id, row) for row in same_rows(rule_id, {})] for rule_id in ALERT_RULES}
    kinds, rules = score(planted(ground_truth), hits)
    assert set(kinds) == set(ALERT_RULES.values())
    for kind in kinds.values():
        assert kind.positives and kind.missed == [], f"{kind.kind}: positives not found: {kind.missed}"
        assert kind.decoys_hit == [], f"{kind.kind}: decoys hit: {kind.decoys_hit}"
    for rule in rules.values():
        assert rule.precision == 1.0, rule.rule


def test_parameters_are_bound_never_formatted_into_the_sql():
    for rule in event_rules.rules():
        text = spark_sql(rule)
        assert "$" not in text
        for name in rule.parameters:
            assert f":{name}" in text, (rule.id, name)


def test_bad_parameters_are_refused_before_spark_runs(spark):
    with pytest.raises(ValueError, match="minimum 30"):
        run_on_spark(spark, "vehicles.cloned_plates", {"max_speed_kmh": 5})


@pytest.mark.parametrize(
    ("sql", "construct"),
    [
        ("SELECT plate FROM passages QUALIFY row_number() OVER (PARTITION BY plate ORDER BY time) = 1", "QUALIFY"),
        ("SELECT to_minutes(CAST($gap AS BIGINT)) AS gap", "function to_minutes"),
    ],
)
def test_a_rule_spark_cannot_run_is_refused_naming_rule_and_construct(tmp_path, sql, construct):
    params = "{gap: {type: int, names: {zh: 间隔, en: Gap}, default: 3}}" if "$gap" in sql else "{}"
    (tmp_path / "odd.yaml").write_text(
        f"rules:\n  - id: test.odd\n    names: {{zh: 怪, en: Odd}}\n    parameters: {params}\n    sql: {sql}\n",
        encoding="utf-8",
    )
    [rule] = event_rules.load_rules(tmp_path).values()
    with pytest.raises(
        EventRuleError, match=rf"rule test\.odd: {construct} does not transpile to Spark SQL"
    ) as refused:
        spark_sql(rule)
    assert str(tmp_path / "odd.yaml") in str(refused.value)


def test_the_submit_entry_writes_the_rows_as_json_lines(spark, duck, store, places, tmp_path):
    places_file = tmp_path / "places.jsonl"
    places_file.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in places), encoding="utf-8")
    out = tmp_path / "hits.jsonl"
    argv = ["--passages", str(store.passages_dir), "--places", str(places_file), "--rule", "vehicles.cloned_plates"]
    assert main([*argv, "--param", "max_speed_kmh=40", "--out", str(out)]) == 0
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    expected = event_rules.run(duck, "vehicles.cloned_plates", {"max_speed_kmh": 40})
    assert [(r["plate"], r["km"], r["minutes"]) for r in written] == [
        (r["plate"], r["km"], r["minutes"]) for r in expected
    ]
    assert main([*argv, "--param", "max_speed_kmh=5", "--out", str(out)]) == 2


def test_the_submit_entry_reads_graph_tables_from_parquet(spark, duck, store, places, tables, tmp_path):
    places_file = tmp_path / "places.jsonl"
    places_file.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in places), encoding="utf-8")
    given = []
    for name in ("listings", "vehicle_owners"):
        pq.write_table(tables[name], tmp_path / f"{name}.parquet")
        given += ["--table", f"{name}={tmp_path / name}.parquet"]
    out = tmp_path / "hits.jsonl"
    argv = ["--passages", str(store.passages_dir), "--places", str(places_file), "--out", str(out)]
    argv += ["--rule", "vehicles.wanted_owner_passages", "--param", "kinds=在逃人员,涉毒人员,刑满释放人员"]
    assert main([*argv, *given]) == 0
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    expected = event_rules.run(
        duck, "vehicles.wanted_owner_passages", {"kinds": ["在逃人员", "涉毒人员", "刑满释放人员"]}
    )
    assert written and [(r["plate"], r["passages"], r["list_id"]) for r in written] == [
        (r["plate"], r["passages"], r["list_id"]) for r in expected
    ]
    assert main([*argv, *given[:2]]) == 2  # vehicle_owners missing
    assert main([*argv, *given, "--table", f"persons={tmp_path / 'listings.parquet'}"]) == 2  # a table it does not read
