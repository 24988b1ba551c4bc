"""The lookup copies answer a question about one plate exactly as the whole store does:
before they are made, after, with a stored file they do not cover yet, after they are
rewritten whole, and with what a killed refresh left behind."""

from __future__ import annotations

import csv
import random
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from events import lookup
from events.lookup import Lookups, bucket
from events.store import EventStore
from ingest.passages.run import import_passages
from queries import event_rules
from queries.event_connection import whole_store
from queries.event_lookups import NotALookup, run_lookup
from settings.table import PROJECT_ROOT

CASES = [
    ("vehicles.trajectory", {}),
    ("vehicles.trajectory", {"since": "2025-03-01", "until": "2025-08-31 18:00", "limit": 20}),
    ("vehicles.companions", {}),
    ("vehicles.companions", {"max_gap_minutes": 30, "min_days": 1, "checkpoints_only": False}),
]


def _schema():
    from graph.model import load_schema

    return load_schema(PROJECT_ROOT / "graph" / "schema")


def _known_places(sample: Path) -> dict[str, set[str]]:
    def ids(name: str) -> set[str]:
        with open(sample / name, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        return {row[0] for row in rows[1:] if row}

    return {"Checkpoint": ids("checkpoints.csv"), "Gate": ids("compound_gates.csv")}


def _chunks(source: Path, out: Path, parts: int) -> list[Path]:
    """The CSV file cut into `parts` files of whole rows, each with the header."""
    header, *rows = source.read_text(encoding="utf-8").splitlines(keepends=True)
    size = -(-len(rows) // parts)
    files = []
    for i in range(parts):
        files.append(out / f"part{i}_{source.name}")
        files[-1].write_text(header + "".join(rows[i * size : (i + 1) * size]), encoding="utf-8")
    return files


def _store(sample: Path, folder: Path, files: list[Path], *, refresh: bool) -> EventStore:
    store = EventStore(folder)
    import_passages(
        files,
        schema=_schema(),
        store=store,
        known_places=_known_places(sample),
        rejects_path=None,
        lookups=refresh,
    )
    return store


def _connect(store: EventStore) -> duckdb.DuckDBPyConnection:
    """As open_events, with places made from the passages themselves (no graph needed here:
    both sides of a comparison read the same places)."""
    con = store.connect()
    store.define_views(con, "stored_passages")
    whole_store(con)
    con.execute(
        "CREATE TEMP TABLE places AS SELECT DISTINCT place_id, "
        "CASE source WHEN 'checkpoint' THEN 'Checkpoint' ELSE 'Gate' END AS kind, place_id AS name, "
        "120.75::DOUBLE AS longitude, 30.75::DOUBLE AS latitude FROM stored_passages"
    )
    return con


def _plates(con: duckdb.DuckDBPyConnection, n: int = 6) -> list[str]:
    """Plates that have companions first (so the comparison is not of empty answers), then others."""
    busy = [
        r[0]
        for r in con.execute(
            "SELECT a.plate FROM stored_passages a JOIN stored_passages b ON a.place_id = b.place_id "
            "AND a.plate <> b.plate AND abs(epoch(a.time) - epoch(b.time)) <= 180 "
            "GROUP BY a.plate ORDER BY count(*) DESC, a.plate LIMIT $n",
            {"n": n // 2},
        ).fetchall()
    ]
    every = [r[0] for r in con.execute("SELECT DISTINCT plate FROM stored_passages ORDER BY plate").fetchall()]
    return busy + random.Random(3).sample(every, n - len(busy))


# Every default once more after the first test: each whole-store answer reads every day's file.
DEFAULTS = CASES[::2]


def _same_answers(store: EventStore, plates: list[str] | None = None, cases=DEFAULTS) -> list[str]:
    con = _connect(store)
    try:
        plates = plates or _plates(con)
        lookups = Lookups(store)
        for rule_id, params in cases:
            rule = event_rules.rule(rule_id)
            for plate in plates:
                whole = event_rules.run(con, rule, {**params, "plate": plate})
                assert run_lookup(con, lookups, rule, {**params, "plate": plate}) == whole, (rule_id, params, plate)
        # The connection reads the whole store again afterwards.
        assert (
            con.execute("SELECT count(*) FROM passages").fetchall()
            == con.execute("SELECT count(*) FROM stored_passages").fetchall()
        )
        return plates
    finally:
        con.close()


@pytest.fixture(scope="module")
def parts(sample_dir: Path, tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("parts")
    return [*_chunks(sample_dir / "checkpoint_passages.csv", folder, 3), sample_dir / "gate_passages.jsonl"]


def test_one_plates_answers_are_the_whole_stores_before_and_after_the_copies_are_made(sample_dir, parts, tmp_path):
    store = _store(sample_dir, tmp_path / "events", parts, refresh=False)
    assert Lookups(store).manifest()["covered"] == []
    plates = _same_answers(store)  # no copies yet: every stored file is read as it is

    made = Lookups(store).refresh()
    assert made.files == len(parts) and not made.rewritten
    assert made.rows == sum(r.rows_loaded for r in store.receipts())
    _same_answers(store, plates, cases=CASES)
    assert Lookups(store).refresh().files == 0  # nothing new: nothing copied


def test_a_stored_file_the_copies_do_not_cover_yet_is_read_as_it_is(sample_dir, parts, tmp_path):
    store = _store(sample_dir, tmp_path / "events", parts[:2], refresh=True)
    _store(sample_dir, tmp_path / "events", parts[2:], refresh=False)
    manifest = Lookups(store).manifest()
    assert len(manifest["covered"]) == 2 and len(store.receipts()) == 4
    _same_answers(store)


def test_past_the_last_generation_the_copies_are_written_whole_again(sample_dir, parts, tmp_path, monkeypatch):
    monkeypatch.setattr(lookup, "MAX_GENERATIONS", 2)
    store = EventStore(tmp_path / "events")
    for part in parts[:3]:
        _store(sample_dir, store.root, [part], refresh=True)
    manifest = Lookups(store).manifest()
    assert len(manifest["generations"]) == 1 and len(manifest["covered"]) == 3  # the third refresh rewrote
    on_disk = sorted(str(p.relative_to(store.root / "lookups")) for p in store.root.glob("lookups/by_*/*/*.parquet"))
    assert on_disk == sorted(manifest["files"])  # the older generations are gone
    _same_answers(store)


def test_what_a_killed_refresh_left_is_never_read_and_is_cleared_by_the_next(sample_dir, parts, tmp_path):
    store = _store(sample_dir, tmp_path / "events", parts, refresh=True)
    lookups = Lookups(store)
    # A refresh killed after moving its copies into place and before writing the manifest
    # leaves files no manifest lists: here, copies of whole buckets, which read twice
    # would double every plate's passages.
    listed = lookups.manifest()["files"]
    strays = []
    for relative in listed:
        stray = lookups.root / relative.replace("/g000001.", "/g000002.")
        shutil.copy(lookups.root / relative, stray)
        strays.append(stray)
    (store.root / "staging" / "lookups-g000002" / "by_plate").mkdir(parents=True)
    plates = _same_answers(store)

    assert lookups.refresh().files == 0
    assert not any(s.exists() for s in strays)
    assert not list(store.root.glob("staging/lookups-*"))
    _same_answers(store, plates)


def _busy_checkpoints(folder: Path, days: int = 60, per_day: int = 1_000) -> Path:
    """Passages at two checkpoints, `per_day` each a day, of 30,000 plates: a place's year
    is many row groups of the copies, as at a city's checkpoint."""
    rng = random.Random(11)
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
    plates = sorted({"浙F" + "".join(rng.choice(letters) for _ in range(5)) for _ in range(30_000)})
    lines = ["过车编号,号牌号码,号牌颜色,检查站编号,过车时间,方向,车道,核录身份证号\n"]
    for day in range(days):
        date = (datetime(2025, 1, 1) + timedelta(days=day)).strftime("%Y%m%d")
        for place in ("JCZ990001", "JCZ990002"):
            seconds = sorted(rng.randrange(6 * 3600, 22 * 3600) for _ in range(per_day))
            for n, second in enumerate(seconds, 1):
                at = datetime(2025, 1, 1) + timedelta(days=day, seconds=second)
                plate = rng.choice(plates)
                lines.append(f"{place}{date}{n:06d},{plate},蓝,{place},{at:%Y-%m-%d %H:%M:%S},进城,1,\n")
    path = folder / "busy_checkpoint_passages.csv"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_a_plates_companions_come_from_the_few_row_groups_near_its_passages(tmp_path):
    # At a city's busy checkpoint a year of cars is millions of rows: the narrowing reads
    # only the row groups whose min/max of place and time can hold a passage near one of
    # the plate's, and finds every other passage there is all the same.
    store = EventStore(tmp_path / "events")
    import_passages(
        [_busy_checkpoints(tmp_path)],
        schema=_schema(),
        store=store,
        known_places={"Checkpoint": {"JCZ990001", "JCZ990002"}, "Gate": set()},
        rejects_path=None,
    )
    con = _connect(store)
    lookups, shares = Lookups(store), []
    try:
        counted = con.execute("SELECT plate, count(*) FROM stored_passages GROUP BY plate ORDER BY 2, 1").fetchall()
        for plate, passages in counted[:10] + counted[-10:] + random.Random(5).sample(counted, 10):
            for within in (1, 3, 30):
                lookups.narrow_to_plate(con, plate, others_at_its_places=True, within_minutes=within)
                exact = con.execute(
                    "SELECT o.* FROM stored_passages AS o SEMI JOIN stored_passages AS m ON m.plate = $plate "
                    "AND o.place_id = m.place_id AND o.time BETWEEN m.time - INTERVAL 1 MINUTE * $within "
                    "AND m.time + INTERVAL 1 MINUTE * $within WHERE o.plate <> $plate ORDER BY passage_id",
                    {"plate": plate, "within": within},
                ).fetchall()
                assert con.execute("SELECT * FROM lookup_others ORDER BY passage_id").fetchall() == exact
            if passages <= 10:
                windows = con.execute(
                    "SELECT place_id, epoch_us(time) - 180000000, epoch_us(time) + 180000000 FROM lookup_mine"
                ).fetchall()
                copies = [lookups.root / f for f in lookups.manifest()["files"] if f.startswith("by_place/")]
                read = sum(lookup._groups_near(f, windows).num_rows for f in copies)
                shares.append(read / 120_000)
    finally:
        con.close()
    # A plate seen on ten days or fewer reads a fraction of its places' 120,000 passages.
    assert shares and max(shares) < 0.3, shares


def test_a_bucket_is_what_duckdb_computes_for_the_key():
    keys = ["浙F60G06", "沪A12345", "JCZ330401", "MJ000111", "", "苏E·D1234"]
    con = duckdb.connect()
    try:
        theirs = con.execute("SELECT k, md5(k)[1] FROM unnest($keys) AS t(k)", {"keys": keys}).fetchall()
    finally:
        con.close()
    assert {k: bucket(k) for k in keys} == dict(theirs)


def test_a_rule_not_about_one_plate_is_refused(tmp_path):
    store = EventStore(tmp_path / "events")
    con = _connect(store)
    try:
        with pytest.raises(NotALookup, match=r"vehicles\.cloned_plates is not about one plate"):
            run_lookup(con, Lookups(store), event_rules.rule("vehicles.cloned_plates"))
        # An empty store answers, with nothing.
        assert run_lookup(con, Lookups(store), event_rules.rule("vehicles.trajectory"), {"plate": "浙F60G06"}) == []
    finally:
        con.close()


LOOKUP_RULE = """
rules:
  - id: test.seen
    names: {{zh: 轨迹, en: Seen}}
    parameters:
      plate: {{type: string, names: {{zh: 号牌, en: Plate}}{default}}}
    lookup: {lookup}
    sql: SELECT * FROM passages WHERE plate = $plate
"""


@pytest.mark.parametrize(
    ("default", "declared", "fault"),
    [
        (
            "",
            "{plate: vehicle}",
            r"rule test\.seen: 'lookup' names a required string parameter of the rule, not 'vehicle'",
        ),
        (", default: 浙F1", "{plate: plate}", r"'lookup' names a required string parameter of the rule, not 'plate'"),
        ("", "{plate: plate, others_at_its_places: sometimes}", r"'others_at_its_places' is true or false"),
        ("", "{plate: plate, by: place}", r"'lookup' is \{plate: <parameter>\} with an optional others_at_its_places"),
        ("", "{plate: plate, others_at_its_places: true, others_within: plate}", r"'others_within' names an int"),
        ("", "{plate: plate, others_within: gap}", r"'others_within' names an int parameter of the rule"),
    ],
)
def test_a_lookup_that_names_no_plate_parameter_is_refused_with_file_and_line(tmp_path, default, declared, fault):
    path = tmp_path / "bad.yaml"
    path.write_text(LOOKUP_RULE.format(default=default, lookup=declared), encoding="utf-8")
    with pytest.raises(event_rules.EventRuleError, match=fault) as refused:
        event_rules.load_rules(tmp_path)
    assert f"{path}, line 7:" in str(refused.value)


def test_copies_sorted_in_several_passes_hold_what_one_sort_gives(sample_dir, parts, tmp_path, monkeypatch):
    """A store too large to sort at once is copied a few buckets at a time: the same copies."""
    at_once = _store(sample_dir, tmp_path / "at_once", parts, refresh=True)
    monkeypatch.setattr(lookup, "SORT_ROWS", 1_000)  # a bucket a pass
    in_passes = _store(sample_dir, tmp_path / "in_passes", parts, refresh=True)
    whole, passes = Lookups(at_once), Lookups(in_passes)
    assert whole.manifest()["files"] == passes.manifest()["files"]
    for relative in whole.manifest()["files"]:
        # the same rows in the same order (each store was imported in a run of its own)
        mine, theirs = (pq.read_table(lookups.root / relative).drop_columns(["run_id"]) for lookups in (whole, passes))
        assert mine.num_rows and mine.equals(theirs), relative
