"""Pack queries say which columns are sensitive, and no built-in query shows an analyst a full ID
number, phone or birth date.

At load, a query whose RETURN reads a masked property into a column it does not declare is
refused, as is a declaration of a column it does not return. On the sample, every built-in
query runs as an analyst; what the analyst may see of each outcome (rows, parameters, nodes,
relationships, after `Visibility`) holds no ID number or phone of the sample's own files
(however the digits are separated), no first fourteen digits of an ID number, and no birth
date of a person the outcome names.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from access import Visibility
from access.actor import Actor
from graph.gateway import Gateway
from graph.model import load_schema
from queries.pack_model import load_catalog
from queries.runner import Runner
from settings.table import PROJECT_ROOT
from tests.queries.test_pack_model import refusal, write_pack

ANALYST = Actor("ana", "analyst", "s1", "JX-2025-0142", "case_investigation")
_ID = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
_SEPARATORS = re.compile(r"[\s.\-/_·\u200b]")


# --- at load ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cypher",
    [
        "MATCH (p:Person) RETURN p.id_number AS who",
        "MATCH (p:Person) RETURN p.name + '（' + p.id_number + '）' AS who",
        "MATCH (p:Person) WITH p.birth_date AS who RETURN who",
        "MATCH (f:Phone) CALL (f) { RETURN '+86' + f.number AS who } RETURN who",
        "MATCH (p:Person) RETURN substring(p.origin_region, 0, 2) AS who",
    ],
)
def test_a_column_reading_a_masked_property_must_be_declared(tmp_path, schema, cypher):
    message = refusal(write_pack(tmp_path, cypher), schema)
    assert "column 'who'" in message and "does not declare it" in message
    load_catalog(schema, [write_pack(tmp_path, cypher, sensitive={"who": "text"})])


def test_counting_a_masked_value_needs_no_declaration(tmp_path, schema):
    cypher = "MATCH (p:Person) WITH p, p.id_number AS n RETURN p.name AS name, count(DISTINCT n) AS ids"
    load_catalog(schema, [write_pack(tmp_path, cypher)])


def test_a_declaration_must_name_a_kind_and_a_returned_column(tmp_path, schema, gateway):
    cypher = "MATCH (p:Person) RETURN p.id_number AS who"
    message = refusal(write_pack(tmp_path, cypher, sensitive={"who": "secret"}), schema)
    assert "unknown kind 'secret'" in message
    message = refusal(write_pack(tmp_path, cypher, sensitive={"who": "citizen_id", "whom": "phone"}), schema, gateway)
    assert "'sensitive' names whom" in message


def test_a_picker_may_not_list_masked_values(tmp_path, schema):
    parameters = {
        "who": {
            "type": "string",
            "names": {"zh": "人", "en": "Who"},
            "choices": "MATCH (p:Person) RETURN p.id_number AS value",
        }
    }
    message = refusal(write_pack(tmp_path, "MATCH (p:Person {name: $who}) RETURN p", parameters=parameters), schema)
    assert "choices of 'who'" in message


# --- on the sample --------------------------------------------------------------------------------


def truth(sample_dir: Path) -> tuple[set[str], set[str]]:
    """Every ID number and mobile in the household register and the floating-population
    registrations, as the files write them, plus the ones the ground truth names."""
    text = (sample_dir / "household_registry.csv").read_bytes().decode("gb18030", errors="replace")
    text += (sample_dir / "floating_registrations.jsonl").read_text(encoding="utf-8")
    text += (sample_dir / "ground_truth.json").read_text(encoding="utf-8")
    text = unicodedata.normalize("NFKC", text)
    return {m.upper() for m in _ID.findall(text)}, set(_PHONE.findall(text))


def planted(ground_truth: dict) -> dict[str, str]:
    def first(kind: str, label: str, with_key: str | None = None) -> str:
        scenario = next(s for s in ground_truth["scenarios"] if s["kind"] == kind)
        positive = next(p for p in scenario["positives"] if with_key is None or p.get(with_key))
        return positive["entities"][label][0]

    scenario = next(s for s in ground_truth["scenarios"] if s["kind"] == "wanted_person_active")
    accomplice = next(p for p in scenario["positives"] if p.get("accomplice"))
    return {
        "person": accomplice["entities"]["Person"][0],
        "accomplice": accomplice["accomplice"]["Person"],
        "phone": first("shared_phone", "Phone"),
        "plate": first("co_travel", "Vehicle"),
        "checkpoint": first("co_travel", "Checkpoint"),
        "duplicate": first("duplicate_identity", "Person"),
    }


def parameter_sets(p: dict[str, str]) -> dict[str, list[dict]]:
    """The entity and text parameters each query without defaults for them is run with."""
    person, phone = f"Person:{p['person']}", f"Phone:{p['phone']}"
    return {
        "links.neighbourhood": [{"start": person, "hops": 2}, {"start": phone, "hops": 2}],
        "links.shortest_paths": [{"a": person, "b": f"Person:{p['accomplice']}"}],
        "links.common_neighbours": [{"a": person, "b": f"Person:{p['accomplice']}"}],
        "links.co_residents": [{"person": person}, {"person": f"Person:{p['duplicate']}"}],
        "links.pivots": [{"start": person}, {"start": phone}],
        "links.timeline": [{"entity": person}, {"entity": phone}, {"entity": f"Person:{p['duplicate']}"}],
        "search.entities": [{"text": p["person"]}, {"text": p["phone"]}, {"text": p["duplicate"]}],
        "vehicles.trajectory": [{"plate": p["plate"]}],
        "vehicles.companions": [{"plate": p["plate"]}],
        "links.seen_at": [{"start": person, "hops": 2}, {"start": f"Vehicle:{p['plate']}"}],
        "links.passages_between": [{"vehicle": f"Vehicle:{p['plate']}", "place": f"Checkpoint:{p['checkpoint']}"}],
    }


def read_back(text: str) -> list[str]:
    """Runs of digits (and X) a reader gets from the text: width folded, separators dropped."""
    return re.findall(r"[0-9X]+", _SEPARATORS.sub("", unicodedata.normalize("NFKC", text).upper()))


def windows(runs: list[str], size: int) -> set[str]:
    return {run[i : i + size] for run in runs for i in range(len(run) - size + 1)}


@pytest.fixture
def patient_runner(sample_graph, neo4j_settings, catalog, schema, audit) -> Iterator[Runner]:
    """A runner whose plan checks and runs may take a minute: on a busy two-core machine the
    server can take more than the tests' usual 10 s to plan the anchored link queries."""
    settings = replace(neo4j_settings, query_timeout=60.0)
    with Gateway.open(settings) as gateway:
        yield Runner(gateway, catalog, schema, settings, audit)


BUILTIN_IDS = sorted(load_catalog(load_schema(PROJECT_ROOT / "graph" / "schema")).queries)


@pytest.mark.slow
@pytest.mark.parametrize("query_id", BUILTIN_IDS)
def test_no_builtin_query_shows_an_analyst_a_full_number(patient_runner, sample_dir, ground_truth, schema, query_id):
    ids, phones = truth(sample_dir)
    assert len(ids) > 1000 and len(phones) > 1000
    rows = 0
    for params in parameter_sets(planted(ground_truth)).get(query_id, [{}]):
        outcome = patient_runner.run(query_id, params, actor=ANALYST)
        rows += len(outcome.rows)
        raw = json.dumps({"rows": outcome.rows, "nodes": outcome.nodes}, ensure_ascii=False)
        named = {i.upper() for i in _ID.findall(raw)}
        seen = Visibility(sees_all=False).outcome(schema, outcome)
        shown = json.dumps(
            {"rows": seen.rows, "params": seen.params, "nodes": seen.nodes, "rels": seen.relationships},
            ensure_ascii=False,
        )
        runs = read_back(shown)
        assert not windows(runs, 18) & ids, f"{query_id} {params}: a full ID number"
        assert not windows(runs, 14) & {i[:14] for i in ids}, f"{query_id} {params}: an ID number's first fourteen"
        assert not windows(runs, 11) & phones, f"{query_id} {params}: a full phone number"
        born = {i[6:14] for i in named if i[6:8] in ("19", "20") and i[6:10] < "2020"}
        assert not windows(runs, 8) & born, f"{query_id} {params}: the birth date of a person it names"
    assert rows or not query_id.startswith(("links.", "search.")), "the planted entities have links"
