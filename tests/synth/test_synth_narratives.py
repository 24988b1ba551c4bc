"""Case reports and their gold annotations for the text extraction."""

from __future__ import annotations

import json

from stdnum.cn import ric
from synth_canonical import canonical_address, canonical_phone, canonical_plate

from synth.names import MALE_CHARS, UNKNOWN_CHARS


def test_annotations_point_at_their_text(default_sample):
    truth = json.loads((default_sample / "ground_truth.json").read_text(encoding="utf-8"))
    reports = {}
    with open(default_sample / "case_reports.jsonl", encoding="utf-8") as f:
        for k, line in enumerate(f, start=1):
            try:
                reports[k] = json.loads(line)
            except json.JSONDecodeError:
                continue
    gold = truth["narratives"]
    assert len(gold) >= 150
    assert {g["split"] for g in gold} == {"train", "heldout"}
    assert {g["family"] for g in gold if g["split"] == "train"} == {"A", "B", "C"}
    assert {g["family"] for g in gold if g["split"] == "heldout"} == {"D", "E"}
    for g in gold:
        report = reports[g["row"]]
        assert report["警情编号"] == g["case_id"]
        text = report["案情简述"]
        spans = []
        for a in g["annotations"]:
            assert text[a["start"] : a["end"]] == a["text"]
            assert a["type"] in ("person", "id_number", "phone", "plate", "address")
            spans.append((a["start"], a["end"]))
            if a["type"] == "id_number":
                assert ric.is_valid(a["text"]) and a["key"] == a["text"]
            elif a["type"] == "phone":
                assert canonical_phone(a["text"]) == a["key"]
            elif a["type"] == "plate":
                assert canonical_plate(a["text"]) == a["key"]
            elif a["type"] == "address":  # reports shorten addresses; the key is the full form
                assert a["key"].startswith("浙江省嘉兴市") and a["key"].endswith(canonical_address(a["text"]))
            elif a["key"] is None:  # a person in no registry: a name from the split's own pool
                assert set(a["text"][1:]) <= set(UNKNOWN_CHARS[g["split"]])
        for d in g["distractors"]:
            assert text[d["start"] : d["end"]] == d["text"]
            assert not ric.is_valid(d["text"])
            assert (d["start"], d["end"]) not in spans
        assert all(
            a["end"] <= b["start"]
            for a, b in zip(
                sorted(g["annotations"], key=lambda a: a["start"]),
                sorted(g["annotations"], key=lambda a: a["start"])[1:],
                strict=False,
            )
        )
    assert not set(UNKNOWN_CHARS["train"]) & set(UNKNOWN_CHARS["heldout"])
    assert not set(UNKNOWN_CHARS["train"] + UNKNOWN_CHARS["heldout"]) & set(MALE_CHARS)
    assert sum(len(g["distractors"]) for g in gold) > 10
