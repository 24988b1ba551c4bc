"""The hand-written evaluation set: enough reports in every style, gold spans that fit the
text, valid IDs and wrong-check-digit decoys, and no way for training to read it."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from stdnum.cn import ric

from bench.handwritten import REPORTS, STYLES, UNTUNED, reports
from ingest.extraction.extractor import Extractor
from ingest.normalize import InvalidValue, citizen_id

ROOT = Path(__file__).resolve().parents[3]
MIN_REPORTS, MIN_PER_STYLE = 80, 15


def test_the_set_has_enough_reports_in_five_styles_with_every_kind_of_gold_span():
    written = reports()
    assert len(written) >= MIN_REPORTS
    per_style = Counter(r.family for r in written)
    assert set(per_style) == set(STYLES) and min(per_style.values()) >= MIN_PER_STYLE
    kinds = Counter(a.type for r in written for a in r.annotations)
    assert set(kinds) == {"person", "id_number", "phone", "plate", "address", "place"}
    text = REPORTS.read_text(encoding="utf-8")
    assert "|L]" in text and "|M]" in text  # landlines and mobiles both


def test_gold_ids_have_valid_check_digits_and_the_decoys_do_not():
    gold, decoys = set(), set()
    for report in reports() + reports(UNTUNED):
        ids = {report.text[a.start : a.end] for a in report.annotations if a.type == "id_number"}
        gold |= ids
        decoys |= set(re.findall(r"(?<!\d)\d{17}[\dX](?!\d)", report.text)) - ids
    assert gold and all(citizen_id.clean(n) == n for n in gold)
    assert len(decoys) >= 2
    for decoy in decoys:
        try:
            citizen_id.clean(decoy)
        except InvalidValue:
            continue
        raise AssertionError(f"decoy {decoy} is a valid ID number")
    assert all(ric.calc_check_digit(n) == n[17] for n in gold)


def test_no_decoy_in_the_set_is_extracted_as_an_id_number():
    extractor = Extractor.load()
    for report in reports() + reports(UNTUNED):
        gold = {(a.start, a.end) for a in report.annotations if a.type == "id_number"}
        ids = {(m.start, m.end) for m in extractor.extract(report.text) if m.entity_type == "id_number"}
        assert ids == gold, report.text


def test_training_never_reads_the_hand_written_set():
    for source in (ROOT / "training").rglob("*.py"):
        code = source.read_text(encoding="utf-8")
        assert "handwritten" not in code and "reports.tsv" not in code and "untuned" not in code, source
