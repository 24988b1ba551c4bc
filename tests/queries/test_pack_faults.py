"""A fault in a pack spoils only itself: a refused query is left out and the rest of its pack
loads, a broken pack file is left out and the other packs load. `goldenbell query list`
lists what loaded and, on stderr, what did not (file, line, query, reason), exiting 2;
strict loading (the default of `load_catalog`) still stops at the first fault."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main
from queries.pack_model import PackError, load_catalog, pack_files

# Three queries; the second writes, so the loader refuses it (its entry starts on line 9).
MIXED = """\
pack: trial
version: 1
names: {zh: 试验, en: Trial}
queries:
  - id: trial.people
    names: {zh: 人员, en: People}
    description: {zh: 列出人员姓名, en: Lists the names of people}
    cypher: MATCH (p:Person) RETURN p.name AS name
  - id: trial.writes
    names: {zh: 改名, en: Renames}
    description: {zh: 修改姓名, en: Changes names}
    cypher: "MATCH (p:Person) SET p.name = 'x' RETURN p.name AS name"
  - id: trial.plates
    names: {zh: 号牌, en: Plates}
    description: {zh: 列出号牌, en: Lists plates}
    cypher: MATCH (v:Vehicle) RETURN v.plate AS plate
"""
HARMLESS = MIXED.replace("SET p.name = 'x' ", "")
# Not YAML: the list is never closed.
BROKEN = """\
pack: broken
version: 1
queries: [
  {id: broken.q, names: {zh: 坏, en: Broken}
"""
# Valid text the server cannot plan (a dangling comma): refused only by the server's check.
UNPLANNED = MIXED.replace(
    "cypher: MATCH (v:Vehicle) RETURN v.plate AS plate", "cypher: MATCH (v:Vehicle) RETURN v.plate AS plate,"
).replace("\"MATCH (p:Person) SET p.name = 'x' RETURN p.name AS name\"", "MATCH (p:Person) RETURN p.name AS other")


@pytest.fixture
def packs_dir(tmp_path) -> Path:
    folder = tmp_path / "packs"
    folder.mkdir()
    (folder / "mixed.yaml").write_text(MIXED, encoding="utf-8")
    (folder / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    return folder


def test_a_refused_query_is_left_out_and_the_rest_of_its_pack_loads(packs_dir, schema):
    catalog = load_catalog(schema, [packs_dir / "mixed.yaml"], strict=False)
    assert set(catalog.queries) == {"trial.people", "trial.plates"}
    assert [q.id for q in catalog.packs["trial"].queries] == ["trial.people", "trial.plates"]
    [fault] = catalog.faults
    assert (fault.path, fault.line, fault.query_id) == (packs_dir / "mixed.yaml", 9, "trial.writes")
    assert "refused" in fault.reason and "SET" in fault.reason
    with pytest.raises(KeyError, match=r"'trial\.writes' did not load: .*mixed\.yaml, line 9"):
        catalog.query("trial.writes")


def test_a_broken_file_is_left_out_and_the_other_packs_load(packs_dir, schema):
    catalog = load_catalog(schema, extra_dir=packs_dir, strict=False)
    builtin = load_catalog(schema)
    assert set(catalog.queries) == set(builtin.queries) | {"trial.people", "trial.plates"}
    broken = [f for f in catalog.faults if f.path.name == "broken.yaml"]
    assert len(broken) == 1 and broken[0].query_id is None and broken[0].line > 0
    assert "YAML" in broken[0].reason
    assert len(catalog.faults) == 2  # the broken file and the refused query


def test_strict_loading_still_stops_at_the_first_fault(packs_dir, schema):
    with pytest.raises(PackError, match=r"mixed\.yaml, line 9: query trial\.writes: refused"):
        load_catalog(schema, [packs_dir / "mixed.yaml"])
    with pytest.raises(PackError, match=r"broken\.yaml"):
        load_catalog(schema, extra_dir=packs_dir)


def test_the_builtin_packs_load_the_same_either_way(schema):
    strict, tolerant = load_catalog(schema), load_catalog(schema, strict=False)
    assert tolerant == strict and tolerant.faults == ()


def test_a_pack_name_given_twice_and_a_missing_folder_are_faults_too(tmp_path, schema):
    (tmp_path / "links.yaml").write_text(HARMLESS.replace("trial", "links"), encoding="utf-8")
    twice = load_catalog(schema, [*pack_files(), tmp_path / "links.yaml"], strict=False)
    [fault] = twice.faults
    assert "already defined" in fault.reason and fault.path == tmp_path / "links.yaml"
    assert twice.packs["links"].path.parent.name == "packs"  # the built-in one stays
    missing = load_catalog(schema, extra_dir=tmp_path / "nowhere", strict=False)
    [fault] = missing.faults
    assert "not a folder" in fault.reason and missing.queries.keys() == load_catalog(schema).queries.keys()


def test_a_query_the_server_refuses_leaves_the_rest_of_its_pack(tmp_path, schema, gateway):
    path = tmp_path / "unplanned.yaml"
    path.write_text(UNPLANNED, encoding="utf-8")
    catalog = load_catalog(schema, [path], gateway=gateway, strict=False)
    assert set(catalog.queries) == {"trial.people", "trial.writes"}
    [fault] = catalog.faults
    assert fault.query_id == "trial.plates" and "syntax error" in fault.reason.lower()
    with pytest.raises(PackError, match=r"trial\.plates"):
        load_catalog(schema, [path], gateway=gateway)


def _cli(tmp_path, packs_dir, *args, **env):
    environment = {
        "GOLDENBELL_HOME": str(tmp_path / "home"),
        "GOLDENBELL_PACKS_DIR": str(packs_dir),
        "GOLDENBELL_AUDIT_LOG": str(tmp_path / "audit.jsonl"),
        "COLUMNS": "250",
        **env,
    }
    return CliRunner().invoke(main, list(args), env=environment, catch_exceptions=False)


def test_query_list_lists_what_loaded_and_what_did_not_and_exits_2(tmp_path, packs_dir, catalog):
    result = _cli(tmp_path, packs_dir, "query", "list")
    assert result.exit_code == 2
    for query_id in [*catalog.queries, "trial.people", "trial.plates"]:
        assert query_id in result.stdout
    assert "trial.writes" not in result.stdout
    assert "mixed.yaml" in result.stderr and "trial.writes" in result.stderr and "refused" in result.stderr
    assert "broken.yaml" in result.stderr and "YAML syntax error" in result.stderr
    assert "1 query and 1 pack file did not load" in result.stderr
    assert "Traceback" not in result.output


def test_query_list_exits_0_when_every_pack_loads(tmp_path):
    good = tmp_path / "good"
    good.mkdir()
    (good / "mixed.yaml").write_text(
        MIXED.replace(
            "\"MATCH (p:Person) SET p.name = 'x' RETURN p.name AS name\"", "MATCH (p:Person) RETURN 1 AS one"
        ),
        encoding="utf-8",
    )
    result = _cli(tmp_path, good, "query", "list")
    assert result.exit_code == 0, result.output
    assert "trial.writes" in result.stdout and result.stderr == ""


def test_running_a_query_that_did_not_load_says_why(tmp_path, packs_dir, neo4j_env):
    consult = ("--case", "JX-1", "--reason", "intelligence_analysis")
    result = _cli(tmp_path, packs_dir, "query", "run", "trial.writes", *consult, **neo4j_env)
    assert result.exit_code == 1
    assert "did not load" in result.stderr and "refused" in result.stderr


def test_query_check_lists_every_fault(tmp_path, packs_dir, neo4j_env):
    (packs_dir / "unplanned.yaml").write_text(UNPLANNED.replace("trial", "unplanned"), encoding="utf-8")
    result = _cli(tmp_path, packs_dir, "query", "check", **neo4j_env)
    assert result.exit_code == 2
    for found in ("broken.yaml", "trial.writes", "unplanned.plates"):
        assert found in result.stderr
    assert "unplanned.people" not in result.stderr
