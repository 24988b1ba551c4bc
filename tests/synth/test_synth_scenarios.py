"""Each planted scenario is in the default sample with its decoys, and
recomputing each rule from the loaded files finds exactly the positives."""

from __future__ import annotations

import pytest
from synth_readback import Sample

from synth.citizen_ids import upgrade_15

KINDS = [
    "revoked_licence_driving",
    "wanted_person_active",
    "overcrowded_flat",
    "knives_multi_shop",
    "fireworks_over_threshold",
    "cloned_plate",
    "co_travel",
    "shared_phone",
    "hazmat_night_passage",
    "duplicate_identity",
]


@pytest.fixture(scope="module")
def sample(default_sample) -> Sample:
    return Sample(default_sample)


def scenario(sample: Sample, kind: str) -> dict:
    return next(s for s in sample.truth["scenarios"] if s["kind"] == kind)


def keys(findings: list[dict], label: str) -> set:
    return {k for f in findings for k in f["entities"].get(label, [])}


def assert_hits_are_the_positives(hits: dict, positives: list[dict], label: str, evidence: str) -> None:
    """The rule finds each positive's `label` entity, and for it exactly the finding's `evidence` entities."""
    assert set(hits) == keys(positives, label)
    for finding in positives:
        assert hits[finding["entities"][label][0]] == set(finding["entities"][evidence])


def test_all_ten_scenarios_with_positives_decoys_and_rows(sample):
    scenarios = sample.truth["scenarios"]
    assert [s["id"] for s in scenarios] == list(range(1, 11))
    assert [s["kind"] for s in scenarios] == KINDS
    files = sample.truth["generated_files"]
    for s in scenarios:
        assert s["params"]
        assert len(s["positives"]) >= 2 and len(s["decoys"]) >= 2, s["kind"]
        for finding in s["positives"] + s["decoys"]:
            assert finding["rows"] and finding["entities"]
            assert "note" in finding or "why_not" in finding
            for ref in finding["rows"]:
                rejected = {r["row"] for r in files[ref["file"]]["rejects"]}
                assert ref["row"] not in rejected  # never a dirtied row
                assert ref["row"] <= files[ref["file"]]["rows"] + 1


def test_revoked_licence_driving(sample):
    s = scenario(sample, "revoked_licence_driving")
    assert_hits_are_the_positives(sample.revoked_driving(), s["positives"], "Person", "Passage")


def test_wanted_person_active(sample):
    s = scenario(sample, "wanted_person_active")
    hits = sample.wanted_active()
    assert set(hits) == keys(s["positives"], "Person")
    assert not set(hits) & keys(s["decoys"], "Person")


def test_overcrowded_flat(sample):
    s = scenario(sample, "overcrowded_flat")
    threshold = s["params"]["min_concurrent_registrations"]
    hits = sample.overcrowded(threshold)
    assert set(hits) == keys(s["positives"], "Address")
    assert all(hits[f["entities"]["Address"][0]] == f["max_concurrent"] for f in s["positives"])
    assert sample.overcrowded(2).keys() & keys(s["decoys"], "Address")  # the decoys are near misses, not absent


def test_knives_from_several_shops(sample):
    s = scenario(sample, "knives_multi_shop")
    p = s["params"]
    assert sample.knives(p["min_distinct_shops"], p["window_days"]) == keys(s["positives"], "Person")
    assert keys(s["decoys"], "Person") <= sample.knives(2, 10)  # each decoy misses by one parameter only


def test_fireworks_over_threshold(sample):
    s = scenario(sample, "fireworks_over_threshold")
    p = s["params"]
    assert sample.fireworks(p["max_total_quantity"], p["window_days"]) == keys(s["positives"], "Person")
    assert keys(s["decoys"], "Person") <= sample.fireworks(p["max_total_quantity"] - 1, 45)


def test_cloned_plate(sample):
    s = scenario(sample, "cloned_plate")
    assert_hits_are_the_positives(sample.cloned(s["params"]["max_speed_kmh"]), s["positives"], "Vehicle", "Passage")
    for finding in s["positives"]:
        assert finding["speed_kmh"] > s["params"]["max_speed_kmh"]
    assert all(d.get("speed_kmh", 0) < s["params"]["max_speed_kmh"] for d in s["decoys"])


def test_co_travel(sample):
    s = scenario(sample, "co_travel")
    p = s["params"]
    hits = sample.co_travel(p["max_gap_minutes"], p["min_days"], p["min_passages_per_day"])
    assert set(hits) == {frozenset(f["entities"]["Vehicle"]) for f in s["positives"]}
    loose = sample.co_travel(20, 1, 1)
    assert all(frozenset(d["entities"]["Vehicle"]) in loose for d in s["decoys"])
    once_a_day = sample.co_travel(p["max_gap_minutes"], p["min_days"], 1)
    assert frozenset(s["decoys"][-1]["entities"]["Vehicle"]) in once_a_day


def test_shared_phone(sample):
    s = scenario(sample, "shared_phone")
    assert_hits_are_the_positives(
        sample.shared_phones(s["params"]["min_unrelated_persons"]), s["positives"], "Phone", "Person"
    )


def test_hazmat_night_passage(sample):
    s = scenario(sample, "hazmat_night_passage")
    hits = sample.hazmat_night()
    assert set(hits) == keys(s["positives"], "Vehicle")
    assert set().union(*hits.values()) == keys(s["positives"], "Passage")


def test_duplicate_identity(sample):
    s = scenario(sample, "duplicate_identity")
    people = {r["公民身份号码"]: r for r in sample.rows("household_registry.csv")}
    for finding in s["positives"]:
        resolution = finding["resolution"]
        person = resolution["person"]
        assert people[person]["姓名"] == resolution["name"]
        for record in resolution["merge"]:
            if len(record["id_number"]) == 15:
                assert upgrade_15(record["id_number"]) == person
                assert record["name"] != resolution["name"] and len(record["name"]) == len(resolution["name"])
        for candidate in resolution.get("candidate_records", []):
            row = next(r for r in sample.rows(candidate["file"]) if r["registrationNo"] == candidate["registrationNo"])
            assert row["idNumber"] == ""
            assert row["name"] == people[person]["姓名"]
            assert row["birthDate"].replace("-", "") == people[person]["出生日期"]
            assert row["phone"] == people[person]["联系电话"]
    first, second = s["positives"]
    namesake, twin = s["decoys"]
    namesake_id, twin_id = namesake["entities"]["Person"][0], twin["entities"]["Person"][0]
    assert people[namesake_id]["姓名"] == first["resolution"]["name"]
    assert people[namesake_id]["出生日期"] != people[first["resolution"]["person"]]["出生日期"]
    assert people[twin_id]["姓名"] == second["resolution"]["name"]
    assert twin_id[6:14] == second["resolution"]["person"][6:14] and twin_id != second["resolution"]["person"]
    old = next(r["id_number"] for r in second["resolution"]["merge"] if len(r["id_number"]) == 15)
    assert upgrade_15(old) != twin_id
