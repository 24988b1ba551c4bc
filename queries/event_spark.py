"""The event rules on Spark: the very SQL of queries/event_rules/*.yaml, transpiled from
DuckDB to Spark SQL by SQLGlot, over the event store's Parquet layout
(``passages/day=YYYY-MM-DD/source=<checkpoint|gate>/*.parquet``). One definition, two
engines: tests/queries/test_event_rules_spark.py checks that both give the same rows.

From the repository root, on a cluster (client deploy mode: the driver needs goldenbell's
venv, for the rules, sqlglot and pyyaml; the executors only Spark, as a rule is plain SQL
with no Python UDF)::

    PYTHONPATH=. PYSPARK_DRIVER_PYTHON=.venv/bin/python spark-submit --master yarn \\
        queries/event_spark.py --passages hdfs:///goldenbell/events/passages \\
        --places places.jsonl --rule vehicles.cloned_plates --param max_speed_kmh=120 \\
        --out hits.jsonl

and locally ``python -m queries.event_spark`` with the same arguments (Spark's default
master, or ``--master local[2]``). ``places.jsonl`` holds one place a line, ``{"place_id",
"kind": "Checkpoint"|"Gate", "name", "longitude", "latitude"}``; OUT gets one row a line,
times as ISO-8601 UTC instants. A rule that joins graph tables takes each as
``--table NAME=FILE``, a Parquet file with the declared columns (`goldenbell events
tables --out DIR` writes them). Exit status 2 for an unknown rule, a bad parameter or a
table missing.

Parameters are checked as on DuckDB (`EventRule.values`) and reach Spark as named
parameter markers (``:name``, Spark 3.4+), never as text. Rows are collected through
Arrow (Spark 4), so times come back as UTC instants and lists as lists.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, ParseError, UnsupportedError

from queries import event_parameters, event_rules, event_tables
from queries.event_rules import EventRule, EventRuleError, UnknownRule
from queries.parameters import ParameterError
from settings.home import open_private

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

# `day` is the Beijing calendar day of `time`; with the session in Beijing time a rule that
# turns a time into a date or an hour (CAST(time AS DATE), hour(time)) agrees with `day`
# and with the analysts' clock. Which rows the current rules return does not depend on it.
TIME_ZONE = "Asia/Shanghai"
PASSAGES_SCHEMA = (
    "passage_id STRING, plate STRING, place_id STRING, time TIMESTAMP, direction STRING, lane INT, "
    "driver_id STRING, plate_colour STRING, run_id STRING, source_file STRING, source_row INT, "
    "day DATE, source STRING"
)
PLACES_SCHEMA = "place_id STRING, kind STRING, name STRING, longitude DOUBLE, latitude DOUBLE"
_PLACE_COLUMNS = ("place_id", "kind", "name", "longitude", "latitude")

# DuckDB functions SQLGlot reads as unknown, with the Spark expression of the same meaning:
# epoch_us and unix_micros are both the exact whole microseconds since the epoch.
_FUNCTIONS: dict[str, type[exp.Func]] = {"EPOCH_US": exp.UnixMicros}


def spark_sql(rule: EventRule) -> str:
    """The rule's SQL in Spark's dialect, with ``$name`` parameters as ``:name`` markers.

    Raises EventRuleError (naming the file, the rule and the construct) when a construct
    has no Spark form SQLGlot vouches for."""

    def refuse(construct: str, why: str) -> EventRuleError:
        return EventRuleError(rule.path, rule.id, f"{construct} does not transpile to Spark SQL: {why}", rule.line)

    try:
        tree = sqlglot.parse_one(rule.sql, read="duckdb")
    except ParseError as exc:
        raise refuse("the SQL", str(exc)) from None
    if tree.find(exp.Qualify):
        # SQLGlot rewrites QUALIFY into a subquery that substitutes output aliases into the
        # window's ORDER BY, which changes the order when an alias shadows a column.
        raise refuse("QUALIFY", "compute the window in a CTE and filter it in WHERE")
    tree = tree.transform(_known_function)
    unknown = sorted({node.name.lower() for node in tree.find_all(exp.Anonymous)})
    if unknown:
        raise refuse(f"function {', '.join(unknown)}", "SQLGlot knows no Spark equivalent; add one to _FUNCTIONS")
    try:
        text = tree.sql(dialect="spark", unsupported_level=ErrorLevel.RAISE)
    except UnsupportedError as exc:
        raise refuse("a construct", str(exc)) from None
    markers = {node.name for node in sqlglot.parse_one(text, read="spark").find_all(exp.Placeholder)}
    bound = set(rule.parameters) | set(rule.engine)
    if markers != bound:
        raise refuse("a parameter", f"the Spark SQL binds {sorted(markers)}, the rule declares {sorted(bound)}")
    return text


def _known_function(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Anonymous) and node.name.upper() in _FUNCTIONS:
        return _FUNCTIONS[node.name.upper()](this=node.expressions[0])
    return node


def open_spark_events(
    spark: SparkSession,
    passages_dir: Path | str,
    places_rows: Iterable[Mapping[str, Any]],
    *,
    tables: Mapping[str, pa.Table | Path | str] | None = None,
    cache: bool = False,
) -> None:
    """Register the temp views `passages` (the store's Parquet, partitions discovered),
    `places` and the graph `tables` (by name: the Arrow table `open_events` read, or a
    Parquet file of it) on `spark`, as `open_events` gives DuckDB. Sets the session's time
    zone, and ANSI mode (Spark 4's default, stated for clusters that turn it off) so that
    an overflow or a bad cast fails as on DuckDB instead of turning into NULL.

    `cache` keeps the passages in memory once read: worth it when one session runs several
    rules over a store of many small files (a day's partition is a file per source)."""
    spark.conf.set("spark.sql.session.timeZone", TIME_ZONE)
    spark.conf.set("spark.sql.ansi.enabled", "true")
    spark.createDataFrame(
        [tuple(_place_value(row.get(c), c) for c in _PLACE_COLUMNS) for row in places_rows], PLACES_SCHEMA
    ).createOrReplaceTempView("places")
    passages = _passages(spark, str(passages_dir))
    (passages.cache() if cache else passages).createOrReplaceTempView("passages")
    declared = {t.name: t for t in event_tables.declared_in(event_rules.rules())}
    for name, source in (tables or {}).items():
        if name not in declared:
            raise ValueError(f"no rule file declares a graph table {name!r}; declared: {', '.join(sorted(declared))}")
        schema = declared[name].arrow_schema
        if isinstance(source, pa.Table):
            frame = spark.createDataFrame(source.select(schema.names).cast(schema))
        else:
            # The declared schema, not the file's: the columns the rules expect, typed as declared.
            frame = spark.read.schema(declared[name].spark_schema).parquet(str(source))
        frame.createOrReplaceTempView(name)


def _passages(spark: SparkSession, location: str) -> DataFrame:
    local = "://" not in location
    if local and not any(Path(location).glob("day=*/source=*/*.parquet")):
        # A store without files answers with no rows, as the DuckDB view does.
        return spark.createDataFrame([], PASSAGES_SCHEMA)
    # The schema is given, not inferred: `day` a DATE and `source` a string whatever the
    # partition values look like, `time` an instant (the files are adjusted to UTC).
    # `_receipts/` is skipped by Spark (a leading underscore); staging lives outside.
    return (
        spark.read.schema(PASSAGES_SCHEMA)
        .option("basePath", location)
        .option("pathGlobFilter", "*.parquet")
        .parquet(location)
    )


def _place_value(value: Any, column: str) -> Any:
    if value is None or column in ("place_id", "kind", "name"):
        return value
    return float(value)


def run_on_spark(
    spark: SparkSession, rule_id: str | EventRule, params: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The rule's rows as dicts (DuckDB's column names), on a session where
    `open_spark_events` registered the views. Raises as `event_rules.run` does."""
    chosen = rule_id if isinstance(rule_id, EventRule) else event_rules.rule(rule_id)
    values = {**chosen.values(params), **event_parameters.engine_values(chosen.engine)}
    return spark.sql(spark_sql(chosen), args=values).toArrow().to_pylist()


# ---- spark-submit ----


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="event_spark", description="Run one event rule on Spark.")
    parser.add_argument("--passages", required=True, help="the store's passages folder (or an hdfs:// or s3a:// URI)")
    parser.add_argument("--places", required=True, type=Path, help="JSON lines of place_id, kind, name, lon, lat")
    parser.add_argument("--rule", required=True, help="a rule id, e.g. vehicles.cloned_plates")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="repeatable")
    parser.add_argument(
        "--table", action="append", default=[], metavar="NAME=FILE", help="a graph table the rule reads, as Parquet"
    )
    parser.add_argument("--out", required=True, type=Path, help="the rows, as JSON lines")
    parser.add_argument("--master", help="Spark master; spark-submit's own setting otherwise")
    args = parser.parse_args(argv)
    try:
        chosen = event_rules.rule(args.rule)
        params = dict(_param(text) for text in args.param)
        chosen.values(params)  # refuse a bad value, or a rule Spark cannot run, before starting Spark
        spark_sql(chosen)
        places = [json.loads(line) for line in args.places.read_text(encoding="utf-8").splitlines() if line.strip()]
        tables = _tables(chosen, args.table)
    except (UnknownRule, ParameterError, EventRuleError, ValueError, OSError) as exc:
        print(f"event_spark: {exc}", file=sys.stderr)
        return 2

    from pyspark.sql import SparkSession

    ours = SparkSession.getActiveSession() is None  # stop only a session this run started
    builder = SparkSession.builder.appName(f"goldenbell {chosen.id}").config("spark.sql.session.timeZone", TIME_ZONE)
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    try:
        open_spark_events(spark, args.passages, places, tables=tables)
        rows = run_on_spark(spark, chosen, params)
    finally:
        if ours:
            spark.stop()
    # Owner-only, like every file goldenbell writes: the rows name plates, places and times.
    with open_private(args.out, "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False, default=_json_value) + "\n")
    print(f"{chosen.id}: {len(rows)} row(s) in {args.out}", file=sys.stderr)
    return 0


def _tables(rule: EventRule, given: list[str]) -> dict[str, str]:
    """--table NAME=FILE for exactly the graph tables the rule reads."""
    tables = dict(_param(text, "--table") for text in given)
    wanted = {t.name for t in rule.tables}
    if set(tables) - wanted:
        reads = ", ".join(sorted(wanted)) or "none"
        raise ValueError(f"{rule.id} reads no table {sorted(set(tables) - wanted)[0]} (it reads: {reads})")
    missing = sorted(wanted - set(tables))
    if missing:
        raise ValueError(f"{rule.id} reads the graph table(s) {', '.join(missing)}: give each as --table NAME=FILE")
    return tables


def _param(text: str, option: str = "--param") -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise ValueError(f"{option} takes NAME={'FILE' if option == '--table' else 'VALUE'}, got {text!r}")
    return name.strip(), value


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


if __name__ == "__main__":
    sys.exit(main())
