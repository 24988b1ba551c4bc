"""GraphML out and back in: the same counts and answers, masked exports refused, entity tricks
refused, unknown labels rejected with their line."""

from __future__ import annotations

import json
import time

import networkx
import pytest

from access.errors import AccessDenied
from exchange.exporting import export_graph
from exchange.rows import UnreadableFile
from exchange.subgraph import from_label
from graph import admin
from ingest.rejects import read_rejects
from tests.conftest import load_sample
from tests.exchange.conftest import (
    P1,
    P2,
    SHARED_PHONE,
    analyst,
    answers,
    counts,
    export_whole,
    load,
    operator,
)


def test_round_trip_keeps_counts_and_answers(small_graph, schema, audit, runner, tmp_path):
    before_counts, before_answers = counts(small_graph), answers(runner)
    out = tmp_path / "graph.graphml"
    report = export_whole(small_graph, schema, audit, "graphml", out)
    assert (report.nodes, report.relationships, report.masked) == (9, 9, False)

    admin.wipe(small_graph)
    first = load(small_graph, schema, audit, out, tmp_path / "rejects.csv")
    assert (first.nodes_loaded, first.links_loaded, first.rows_rejected) == (9, 9, 0)
    assert counts(small_graph) == before_counts
    assert answers(runner) == before_answers

    again = load(small_graph, schema, audit, out, tmp_path / "rejects-2.csv")
    assert again.rows_rejected == 0
    assert counts(small_graph) == before_counts  # keys MERGEd: nothing added


def test_values_keep_their_types_and_provenance_names_the_file(small_graph, schema, audit, tmp_path):
    out = tmp_path / "graph.graphml"
    export_whole(small_graph, schema, audit, "graphml", out)
    admin.wipe(small_graph)
    report = load(small_graph, schema, audit, out, tmp_path / "rejects.csv")
    row = small_graph.read(
        "test.values",
        """MATCH (p:Person {id_number: $p1})-[o:OWNS]->(v:Vehicle), (s:Shop), (a:Address)
           RETURN p.birth_date AS birth, o.since AS since, v.key_vehicle AS key_vehicle, s.categories AS categories,
                  a.location.longitude AS longitude, p.prov_run AS run, p.prov_source AS source, p.prov_row AS row""",
        {"p1": P1},
    ).data()[0]
    assert str(row["birth"]) == "1990-01-02" and str(row["since"]) == "2020-05-01"
    assert row["key_vehicle"] is False and row["categories"] == ["烟花爆竹", "管制刀具"]
    assert row["longitude"] == pytest.approx(120.755)
    assert row["run"] == report.run_id and row["source"] == "graphml file graph.graphml" and row["row"] > 1


def test_networkx_reads_the_file_as_gephi_would(small_graph, schema, audit, tmp_path):
    out = tmp_path / "graph.graphml"
    export_whole(small_graph, schema, audit, "graphml", out)
    read = networkx.read_graphml(out)
    assert read.number_of_nodes() == 9 and read.number_of_edges() == 9
    people = [data for _, data in read.nodes(data=True) if data["labels"] == ":Person"]
    assert {p["name"] for p in people} == {"王建国", "王建华", "李秀英"}
    assert {p["label"] for p in people} == {"王建国", "王建华", "李秀英"}  # the caption Gephi shows
    assert {data["label"] for *_, data in read.edges(data=True)} >= {"OWNS", "HAS_PHONE"}
    vehicle = next(data for _, data in read.nodes(data=True) if data.get("plate") == "浙F12345")
    assert vehicle["key_vehicle"] is False  # attr.type boolean


def test_export_is_recorded_and_never_overwrites(small_graph, schema, audit, tmp_path):
    out = tmp_path / "graph.graphml"
    export_whole(small_graph, schema, audit, "graphml", out)
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    entry = json.loads(audit.path.read_text(encoding="utf-8").splitlines()[-1])
    assert entry["action"] == "export" and entry["rows"] == 18 and entry["parameters"]["format"] == "graphml"
    assert f"Person:{P1}" in entry["entities"]
    with pytest.raises(ValueError, match="never overwrites"):
        export_whole(small_graph, schema, audit, "graphml", out)


def test_export_needs_the_export_permission(small_graph, schema, audit, tmp_path):
    from access.actor import Actor

    auditor = Actor("auditor-1", "auditor", case_ref="JX-2025-001", reason="intelligence_analysis")
    with pytest.raises(AccessDenied):
        export_whole(small_graph, schema, audit, "graphml", tmp_path / "x.graphml", auditor)
    assert not (tmp_path / "x.graphml").exists()
    entry = json.loads(audit.path.read_text(encoding="utf-8").splitlines()[-1])
    assert entry["action"] == "export" and entry["outcome"] == "refused"


def test_masked_export_hides_numbers_and_is_refused_on_import(small_graph, schema, audit, tmp_path):
    out = tmp_path / "masked.graphml"
    report = export_whole(small_graph, schema, audit, "graphml", out, analyst())
    assert report.masked
    text = out.read_text(encoding="utf-8")
    for number in (P1, P2, SHARED_PHONE, "1990-01-02"):
        assert number not in text
    assert P1[-4:] in text and "139****5678" in text
    with pytest.raises(UnreadableFile, match="masked export"):
        load(small_graph, schema, audit, out, tmp_path / "rejects.csv")
    entry = json.loads(audit.path.read_text(encoding="utf-8").splitlines()[-1])
    assert entry["action"] == "import" and entry["outcome"] == "error"


def test_label_projection_export(small_graph, schema, audit, tmp_path):
    out = tmp_path / "phones.graphml"
    report = export_graph(
        lambda v: from_label(small_graph, schema, "Person", ["HAS_PHONE"], visibility=v),
        fmt="graphml",
        out=out,
        schema=schema,
        audit=audit,
        actor=operator(),
        source="label Person via HAS_PHONE",
    )
    assert (report.nodes, report.relationships) == (5, 3)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed">
<node id="n0"><data key="x">&lol2;</data></node></graph></graphml>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE graphml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed">
<node id="n0"><data key="x">&secret;</data></node></graph></graphml>
"""


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL], ids=["entity-expansion", "external-entity"])
def test_a_file_with_entities_is_refused_whole(empty_graph, schema, audit, tmp_path, text):
    path = tmp_path / "evil.graphml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UnreadableFile, match="line 2: a document type declaration"):
        load(empty_graph, schema, audit, path, tmp_path / "rejects.csv")
    assert counts(empty_graph) == {}


HAND_WRITTEN = f"""<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="labels" for="node" attr.name="labels" attr.type="string"/>
  <key id="label" for="edge" attr.name="label" attr.type="string"/>
  <key id="id" for="node" attr.name="id_number" attr.type="string"/>
  <key id="name" for="node" attr.name="name" attr.type="string"/>
  <key id="number" for="node" attr.name="number" attr.type="string"/>
  <key id="colour" for="node" attr.name="favourite_colour" attr.type="string"/>
  <graph edgedefault="directed">
    <node id="a"><data key="labels">:Person</data><data key="id">{P1}</data><data key="name">王建国</data>
      <data key="colour">蓝</data></node>
    <node id="b"><data key="labels">:Spaceship</data><data key="name">X</data></node>
    <node id="c"><data key="labels">:Phone</data><data key="number">12345</data></node>
    <node id="d"><data key="labels">:Phone</data><data key="number">{SHARED_PHONE}</data></node>
    <edge source="a" target="d"><data key="label">HAS_PHONE</data></edge>
    <edge source="a" target="b"><data key="label">FLIES</data></edge>
    <edge source="a" target="c"><data key="label">HAS_PHONE</data></edge>
    <edge source="d" target="a"><data key="label">HAS_PHONE</data></edge>
  </graph>
</graphml>
"""


def test_bad_rows_are_rejected_with_line_column_and_reason(empty_graph, schema, audit, tmp_path):
    path = tmp_path / "hand.graphml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    rejects = tmp_path / "rejects.csv"
    report = load(empty_graph, schema, audit, path, rejects)
    assert (report.nodes_loaded, report.links_loaded, report.rows_rejected, report.values_dropped) == (2, 1, 5, 1)
    found = {(r["row"], r["column"], r["reason"], r["outcome"]) for r in read_rejects(rejects)}
    assert found == {
        ("10", "favourite_colour", "schema.unknown_property", "value dropped"),
        ("12", "labels", "schema.unknown_label", "row rejected"),
        ("13", "number", "phone.invalid", "row rejected"),
        ("16", "type", "schema.unknown_type", "row rejected"),
        ("17", "target", "reference.missing", "row rejected"),
        ("18", "type", "schema.wrong_ends", "row rejected"),
    }
    unknown = next(r for r in read_rejects(rejects) if r["reason"] == "schema.unknown_label")
    assert unknown["file"] == str(path) and unknown["value"] == ":Spaceship" and "Spaceship" in unknown["message"]
    assert counts(empty_graph) == {":Person": 1, ":Phone": 1, "[HAS_PHONE]": 1}


def test_dry_run_writes_nothing(empty_graph, schema, audit, tmp_path):
    path = tmp_path / "hand.graphml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    report = load(None, schema, audit, path, tmp_path / "rejects.csv", dry_run=True)
    assert report.nodes_loaded == 2 and report.rows_rejected == 5
    assert counts(empty_graph) == {}


@pytest.mark.slow
def test_round_trip_of_the_default_sample(gateway, schema, audit, sample_dir, tmp_path, tmp_path_factory):
    """The sample's graph but its 42,000 passages (events, kept in the event store when it is used;
    with them the round trip takes minutes): every other label and type, the same counts after."""
    admin.wipe(gateway)
    load_sample(gateway, schema, sample_dir, tmp_path_factory)
    gateway.write("test.no_passages", "MATCH (p:Passage) CALL (p) { DETACH DELETE p } IN TRANSACTIONS", autocommit=True)
    before = counts(gateway)
    out = tmp_path / "sample.graphml"
    began = time.monotonic()
    export_whole(gateway, schema, audit, "graphml", out)
    exported = time.monotonic()
    admin.wipe(gateway)
    report = load(gateway, schema, audit, out, tmp_path / "rejects.csv")
    elapsed = time.monotonic() - began
    print(f"sample round trip: export {exported - began:.1f} s, import {elapsed - (exported - began):.1f} s")
    assert report.rows_rejected == 0, report.reasons
    after = counts(gateway)
    admin.wipe(gateway)  # the next test that wants the sample loads it again, with its own provenance
    assert after == {k: v for k, v in before.items() if k not in (":Investigation",)}


def test_the_import_run_is_recorded_as_the_operators(small_graph, schema, audit, tmp_path):
    out = tmp_path / "whole.graphml"
    export_whole(small_graph, schema, audit, "graphml", out)
    report = load(small_graph, schema, audit, out, tmp_path / "rejects.csv")
    user = small_graph.read("test.run", "MATCH (r:ImportRun {run_id: $run}) RETURN r.user", {"run": report.run_id})
    assert user.single_value() == operator().user
