"""A non-Chinese dataset in neo4j-admin import layout (the English case book: 11 node files,
id spaces, typed columns, files of several relationship types) loads with one call and no
spec, and its guide questions give the answers pandas and networkx compute from the files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from access.actor import Actor
from access.visibility import Visibility
from graph import ddl
from graph.model import load_schema
from ingest.graph_files import graph_files, import_graph_files
from ingest.normalize import normalise
from ingest.spec import SpecError
from queries.pack_model import load_catalog
from queries.runner import Runner
from settings.table import PROJECT_ROOT
from synth.casebook import write_casebook
from synth.casebook.generate import NODE_FILES, RELATIONSHIP_FILES

BASE = PROJECT_ROOT / "graph" / "schema"
CASEBOOK = PROJECT_ROOT / "synth" / "casebook"
SUPERVISOR = Actor("a-supervisor", "supervisor", case_ref="UK-2025-0001", reason="intelligence_analysis")
KNOWS = ("KNOWS", "KNOWS_SN", "KNOWS_LW", "FAMILY_REL")


@pytest.fixture(scope="module")
def casebook_schema():
    return load_schema(BASE, CASEBOOK / "schema")


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    return write_casebook(tmp_path_factory.mktemp("casebook"), persons=240)


@pytest.fixture(scope="module")
def loaded(gateway, casebook_schema, book, tmp_path_factory):
    from graph import admin

    admin.wipe(gateway)
    ddl.apply_schema(gateway, casebook_schema)
    work = tmp_path_factory.mktemp("work")
    report = import_graph_files(
        graph_files(book.folder),
        schema=casebook_schema,
        gateway=gateway,
        work_dir=work,
        rejects_path=work / "rejects.csv",
    )
    yield report
    admin.wipe(gateway)


def frame(book, name: str) -> pd.DataFrame:
    return pd.read_csv(book.folder / name, dtype=str, keep_default_na=False)


def test_every_row_loads_once_and_nothing_is_left_behind(loaded, book, gateway):
    assert loaded.rows_rejected == 0
    assert loaded.rows_read == loaded.rows_loaded == sum(book.rows.values())
    assert len(NODE_FILES) >= 10
    nodes = gateway.read(
        "test.count", "MATCH (n) WHERE NOT n:ImportRun AND NOT n:SourceFile RETURN count(n)"
    ).single_value()
    assert nodes == sum(book.rows[name] for name in NODE_FILES)
    rels = gateway.read(
        "test.count", "MATCH ()-[r]->() WHERE NOT type(r) IN ['READ_FILE'] RETURN count(r)"
    ).single_value()
    assert rels == sum(book.rows[name] for name in RELATIONSHIP_FILES)
    # The import ids only join the files: a person is keyed and named by the dataset's own values.
    person = gateway.read("test.person", "MATCH (p:Person) RETURN p LIMIT 1").single_value()
    assert set(person) >= {"nhs_no", "name", "surname", "age", "prov_row", "prov_file"}
    assert "personId" not in person and len(person["nhs_no"]) == 10


def test_a_second_import_adds_nothing(loaded, book, casebook_schema, gateway, tmp_path):
    again = import_graph_files(
        graph_files(book.folder),
        schema=casebook_schema,
        gateway=gateway,
        work_dir=tmp_path,
        rejects_path=tmp_path / "rejects.csv",
    )
    assert again.rows_loaded == 0
    assert all(f.skipped for f in again.files)


@pytest.fixture(scope="module")
def guide(loaded, gateway, casebook_schema, neo4j_settings, tmp_path_factory):
    from access.audit.log import AuditLog

    catalog = load_catalog(casebook_schema, [CASEBOOK / "packs" / "casebook.yaml"], required=())
    audit = AuditLog(tmp_path_factory.mktemp("audit") / "audit.jsonl")
    return Runner(gateway, catalog, casebook_schema, neo4j_settings, audit)


def test_crimes_by_type_and_by_area(guide, book):
    crimes = frame(book, "crimes.csv")
    expected = crimes.groupby("type").size().reset_index(name="crimes")
    expected = expected.sort_values(["crimes", "type"], ascending=[False, True])
    assert guide.run("casebook.crimes_by_type", actor=SUPERVISOR).rows == expected.to_dict("records")
    # occurred_at: crime → location; location_in_area: location → area.
    at = frame(book, "occurred_at.csv").rename(columns={":START_ID(Crime)": "crime", ":END_ID(Location)": "location"})
    areas = frame(book, "location_in_area.csv").rename(
        columns={":START_ID(Location)": "location", ":END_ID(Area)": "area_id"}
    )
    codes = frame(book, "areas.csv").rename(columns={"areaId:ID(Area)": "area_id", "areaCode": "area"})
    joined = at.merge(areas, on="location").merge(codes, on="area_id")
    by_area = (
        joined.groupby("area")
        .size()
        .reset_index(name="crimes")
        .sort_values(["crimes", "area"], ascending=[False, True])
    )
    assert guide.run("casebook.crimes_by_area", actor=SUPERVISOR).rows == by_area.to_dict("records")


def test_hot_spots_and_busiest_officers(guide, book):
    at = frame(book, "occurred_at.csv").rename(columns={":END_ID(Location)": "location"})
    spots = at.groupby("location").size().reset_index(name="crimes")
    spots = spots.sort_values(["crimes", "location"], ascending=[False, True]).head(5)
    rows = guide.run("casebook.hot_spots", {"top": 5}, actor=SUPERVISOR).rows
    assert [(r["location"], r["crimes"]) for r in rows] == list(spots.itertuples(index=False, name=None))
    by = frame(book, "investigated_by.csv").rename(columns={":END_ID(Officer)": "officer_id"})
    officers = frame(book, "officers.csv").rename(columns={"officerId:ID(Officer)": "officer_id"})
    counts = by.merge(officers, on="officer_id").groupby("badge_no").size().reset_index(name="crimes")
    counts = counts.sort_values(["crimes", "badge_no"], ascending=[False, True]).head(3)
    rows = guide.run("casebook.busiest_officers", {"top": 3}, actor=SUPERVISOR).rows
    assert [(r["badge_no"], r["crimes"]) for r in rows] == list(counts.itertuples(index=False, name=None))


def _acquaintances(book) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(frame(book, "persons.csv")["personId:ID(Person)"])
    for row in frame(book, "knows.csv").itertuples(index=False):
        graph.add_edge(row[0], row[1])
    return graph


def _nhs(book) -> dict[str, str]:
    people = frame(book, "persons.csv")
    return {
        pid: normalise("text", n.replace(" ", ""))
        for pid, n in zip(people["personId:ID(Person)"], people["nhs_no"], strict=True)
    }


def test_associates_of_offenders_and_masking(guide, book):
    graph, nhs = _acquaintances(book), _nhs(book)
    offenders = set(frame(book, "party_to.csv")[":START_ID(Person)"])
    expected = sorted(
        ((nhs[p], sum(1 for o in graph[p] if o in offenders)) for p in graph if p not in offenders),
        key=lambda item: (-item[1], item[0]),
    )
    expected = [item for item in expected if item[1] >= 3]
    rows = guide.run("casebook.associates_of_offenders", {"at_least": 3}, actor=SUPERVISOR).rows
    assert [(r["nhs_no"], r["offenders"]) for r in rows] == expected
    assert expected, "the circles of acquaintance give offenders' associates"
    # A role without the right to see ID numbers gets them masked, as the pack declares them.
    declared = guide.catalog.query("casebook.associates_of_offenders").sensitive
    masked = Visibility(sees_all=False).value(rows, declared)
    assert all(r["nhs_no"] == "******" + n[-4:] for r, (n, _) in zip(masked, expected, strict=True))


def test_degrees_apart_match_networkx(guide, book):
    graph, nhs = _acquaintances(book), _nhs(book)
    pairs = [("0", "1"), ("0", "37"), ("5", "200"), ("12", "13")]
    for a, b in pairs:
        rows = guide.run(
            "casebook.degrees_apart", {"first": f"Person:{nhs[a]}", "second": f"Person:{nhs[b]}"}, actor=SUPERVISOR
        ).rows
        try:
            expected = [{"hops": nx.shortest_path_length(graph, a, b)}]
        except nx.NetworkXNoPath:
            expected = []
        if expected and expected[0]["hops"] > 10:
            expected = []
        assert rows == expected, (a, b)


def test_busiest_call_pairs(guide, book):
    parties = frame(book, "call_parties.csv")
    phones = dict(frame(book, "phones.csv").itertuples(index=False, name=None))
    caller = parties[parties[":TYPE"] == "CALLER"].set_index(":START_ID(PhoneCall)")[":END_ID(Phone)"]
    called = parties[parties[":TYPE"] == "CALLED"].set_index(":START_ID(PhoneCall)")[":END_ID(Phone)"]
    e164 = {pid: normalise("text", "+44" + number.replace(" ", "")[1:]) for pid, number in phones.items()}
    pairs = pd.DataFrame({"caller": caller.map(e164), "called": called.map(e164)})
    counts = pairs.groupby(["caller", "called"]).size().reset_index(name="calls")
    counts = counts.sort_values(["calls", "caller", "called"], ascending=[False, True, True]).head(5)
    rows = guide.run("casebook.call_pairs", {"top": 5}, actor=SUPERVISOR).rows
    assert rows == counts.to_dict("records")


def test_an_unknown_relationship_type_is_refused_before_anything_loads(casebook_schema, book, tmp_path, empty_graph):
    folder = tmp_path / "files"
    folder.mkdir()
    for name in ("persons.csv", "knows.csv"):
        (folder / name).write_bytes((book.folder / name).read_bytes())
    with (folder / "knows.csv").open("a", newline="", encoding="utf-8") as out:
        csv.writer(out, lineterminator="\n").writerow(["0", "1", "HATES", "2001"])
    with pytest.raises(SpecError) as caught:
        import_graph_files(
            graph_files(folder),
            schema=casebook_schema,
            gateway=empty_graph,
            work_dir=tmp_path,
            rejects_path=tmp_path / "r.csv",
        )
    assert "'HATES' is not a relationship type of the schema" in str(caught.value)
    assert f"knows.csv, line {book.rows['knows.csv'] + 2}" in str(caught.value)
    assert empty_graph.read("test.count", "MATCH (p:Person) RETURN count(p)").single_value() == 0


def test_an_unknown_id_and_a_bad_value_are_rejected_with_their_rows(casebook_schema, book, tmp_path, empty_graph):
    folder = tmp_path / "files"
    folder.mkdir()
    for name in ("persons.csv", "knows.csv"):
        (folder / name).write_bytes((book.folder / name).read_bytes())
    with (folder / "knows.csv").open("a", newline="", encoding="utf-8") as out:
        csv.writer(out, lineterminator="\n").writerow(["0", "99999", "KNOWS", "2001"])
    with (folder / "persons.csv").open("a", newline="", encoding="utf-8") as out:
        csv.writer(out, lineterminator="\n").writerow(["77777", "Nobody", "Example", "999 000 0001", "40", ""])
    rejects = tmp_path / "rejects.csv"
    report = import_graph_files(
        graph_files(folder), schema=casebook_schema, gateway=empty_graph, work_dir=tmp_path / "w", rejects_path=rejects
    )
    assert report.rows_read == report.rows_loaded + report.rows_rejected
    assert report.rows_rejected == 2
    with rejects.open(encoding="utf-8-sig") as lines:
        found = {(r["file"], r["row"], r["reason"]) for r in csv.DictReader(lines)}
    assert ("persons.csv", str(book.rows["persons.csv"] + 2), "value.pattern") in found
    assert any(f == "knows.csv" and row == str(book.rows["knows.csv"] + 2) for f, row, _ in found)
    assert not list(Path(tmp_path / "w").iterdir()), "the private copies are removed after the batch"


def test_triangles_and_circles_of_acquaintance_match_networkx(guide, book):
    graph, nhs = _acquaintances(book), _nhs(book)
    linked = graph.subgraph([p for p in graph if graph.degree(p)])
    found = guide.run("casebook.acquaintance_triangles", actor=SUPERVISOR)
    assert found.summary["triangles"] == sum(nx.triangles(linked).values()) // 3
    per_person = {f"Person:{nhs[p]}": n for p, n in nx.triangles(linked).items()}
    assert {r["node"]: r["triangles"] for r in found.rows} == {r["node"]: per_person[r["node"]] for r in found.rows}
    assert [r["triangles"] for r in found.rows] == sorted(per_person.values(), reverse=True)[:20]
    circles = guide.run("casebook.acquaintance_components", actor=SUPERVISOR)
    assert circles.summary["components"] == nx.number_connected_components(linked)
    assert circles.summary["largest_component"] == max(len(c) for c in nx.connected_components(linked))


def test_the_command_loads_a_folder_and_refuses_a_mixed_call(neo4j_env, empty_graph, book, tmp_path):
    from click.testing import CliRunner

    from cli.ingest import ingest

    env = {
        **neo4j_env,
        "GOLDENBELL_AUDIT_LOG": str(tmp_path / "audit.jsonl"),
        "GOLDENBELL_SCHEMA_EXTRA_DIR": str(CASEBOOK / "schema"),
    }
    ddl.apply_schema(empty_graph, load_schema(BASE, CASEBOOK / "schema"))
    mixed = CliRunner().invoke(ingest, ["--graph-files", str(book.folder), str(book.folder / "persons.csv")], env=env)
    assert mixed.exit_code == 2 and "--graph-files takes the whole folder" in mixed.output
    done = CliRunner().invoke(ingest, ["--graph-files", str(book.folder), "--json"], env=env, catch_exceptions=False)
    assert done.exit_code == 0, done.output
    report = json.loads(done.stdout)
    assert report["rows_loaded"] == sum(book.rows.values()) and report["rows_rejected"] == 0
    audit = [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
    assert audit[-1]["parameters"]["graph_files"] == str(book.folder)


@pytest.mark.parametrize("fmt, suffix", [("graphml", "graphml"), ("ftm", "ftm.jsonl")])
def test_the_case_book_exported_and_imported_again_keeps_its_counts_and_answers(
    loaded, guide, gateway, casebook_schema, book, tmp_path, fmt, suffix
):
    from access.audit.log import AuditLog
    from graph import admin
    from tests.exchange.conftest import counts, export_whole, load

    questions = [
        ("casebook.crimes_by_type", {}),
        ("casebook.call_pairs", {"top": 5}),
        ("casebook.associates_of_offenders", {"at_least": 2}),
        ("casebook.degrees_apart", {"first": f"Person:{_nhs(book)['0']}", "second": f"Person:{_nhs(book)['37']}"}),
    ]

    def answers():
        return [guide.run(query, params, actor=SUPERVISOR).rows for query, params in questions]

    before, counted = answers(), counts(gateway)
    audit = AuditLog(tmp_path / "audit.jsonl")
    out = tmp_path / f"casebook.{suffix}"
    export_whole(gateway, casebook_schema, audit, fmt, out)
    admin.wipe(gateway)
    report = load(gateway, casebook_schema, audit, out, tmp_path / "rejects.csv")
    assert report.rows_rejected == 0
    assert counts(gateway) == counted
    assert answers() == before
