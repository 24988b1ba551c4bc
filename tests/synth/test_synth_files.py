"""The files are what the ground truth says: formats, encodings, row counts,
rejected rows and their reasons, untidy values that still load."""

from __future__ import annotations

import json
import zipfile

import openpyxl
import pytest
from stdnum.cn import ric
from synth_canonical import canonical_address, canonical_id, canonical_phone, canonical_plate
from synth_readback import loaded, read

from synth.sources import SOURCES

CANONICAL = {
    "citizen_id": canonical_id,
    "plate": canonical_plate,
    "phone": canonical_phone,
    "address": canonical_address,
}


def _truth(folder):
    return json.loads((folder / "ground_truth.json").read_text(encoding="utf-8"))


def test_every_source_file_is_written_in_its_format(default_sample):
    truth = _truth(default_sample)
    assert list(truth["generated_files"]) == [s.name for s in SOURCES]
    for spec in SOURCES:
        data = (default_sample / spec.name).read_bytes()
        info = truth["generated_files"][spec.name]
        assert info["format"] == spec.format and info["bytes"] == len(data)
        if spec.format == "xlsx":
            assert zipfile.is_zipfile(default_sample / spec.name)
            workbook = openpyxl.load_workbook(default_sample / spec.name, read_only=True)
            assert workbook.sheetnames == [spec.sheet]
            workbook.close()
        elif spec.encoding == "gbk":
            data.decode("gbk")
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
        elif spec.encoding == "utf-8-sig":
            assert data.startswith(b"\xef\xbb\xbf")
            data.decode("utf-8")
        else:
            assert not data.startswith(b"\xef\xbb\xbf")
            data.decode("utf-8")
    formats = {(s.format, s.encoding) for s in SOURCES}
    assert {("csv", "gbk"), ("csv", "utf-8"), ("csv", "utf-8-sig"), ("xlsx", "utf-8"), ("jsonl", "utf-8")} <= formats


@pytest.mark.parametrize("spec", SOURCES, ids=lambda s: s.name)
def test_counts_and_rejects_match_an_independent_read(default_sample, spec):
    info = _truth(default_sample)["generated_files"][spec.name]
    rows = read(default_sample, spec.name)
    rejected = {(r.row, r.reason, r.column) for r in rows if r.values is None}
    assert len(rows) == info["rows"]
    assert len(rows) - len(rejected) == info["expected_loaded"]
    assert len(rejected) == info["expected_rejected"]
    assert rejected == {(r["row"], r["reason"], r["column"]) for r in info["rejects"]}
    first_row = 2 if spec.format in ("csv", "xlsx") else 1
    assert all(r.row >= first_row for r in rows)


def test_dirty_sample_shows_every_kind_of_fault(default_sample):
    reasons = {r["reason"] for info in _truth(default_sample)["generated_files"].values() for r in info["rejects"]}
    assert reasons >= {
        "citizen_id.check_digit",
        "citizen_id.birth_date",
        "citizen_id.excel_number",
        "required.missing",
        "row.duplicate",
        "row.column_count",
        "row.malformed",
        "phone.invalid",
        "plate.invalid",
        "date.invalid",
        "datetime.invalid",
        "enum.invalid",
        "number.invalid",
    }


@pytest.mark.parametrize("spec", SOURCES, ids=lambda s: s.name)
def test_untidy_values_load_and_mean_their_canonical_form(default_sample, spec):
    info = _truth(default_sample)["generated_files"][spec.name]
    by_row = {r["_row"]: r for r in loaded(default_sample, spec.name)}
    for item in info["recoverable"]:
        row = by_row[item["row"]]  # the row loaded
        assert row[item["column"]] == item["canonical"]
        assert item["value"] != item["canonical"]
        kind = spec.column(item["column"]).type
        assert CANONICAL[kind](item["value"]) == item["canonical"]


def test_clean_sample_has_no_rejects(clean_sample):
    truth = _truth(clean_sample)
    for spec in SOURCES:
        assert truth["generated_files"][spec.name]["expected_rejected"] == 0
        assert all(r.values is not None for r in read(clean_sample, spec.name)), spec.name


def test_every_id_number_in_the_clean_files_is_valid(clean_sample):
    checked = 0
    for spec in SOURCES:
        id_columns = [c.name for c in spec.columns if c.type == "citizen_id"]
        for row in read(clean_sample, spec.name):
            for column in id_columns:
                value = row.values[column]
                if value:
                    assert ric.is_valid(canonical_id(value)), (spec.name, row.row, value)
                    checked += 1
    assert checked > 5000


def test_every_planted_invalid_id_number_fails(default_sample):
    truth = _truth(default_sample)
    planted = [
        r["value"]
        for info in truth["generated_files"].values()
        for r in info["rejects"]
        if r["reason"] in ("citizen_id.check_digit", "citizen_id.birth_date")
    ]
    planted += [d["text"] for n in truth["narratives"] for d in n["distractors"]]
    assert len(planted) > 20
    assert not any(ric.is_valid(v) for v in planted)


def test_coordinates_lie_inside_jiaxing(default_sample):
    for name, columns in (
        ("checkpoints.csv", [("纬度", "经度")]),
        ("compound_gates.csv", [("小区纬度", "小区经度"), ("卡口纬度", "卡口经度")]),
        ("dangerous_goods_shops.csv", [("纬度", "经度")]),
    ):
        for row in loaded(default_sample, name):
            for lat, lon in columns:
                assert 30.35 < float(row[lat]) < 31.05 and 120.30 < float(row[lon]) < 121.30
