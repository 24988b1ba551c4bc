"""docs/sample-data.md documents every file, column, option, fault and scenario."""

from __future__ import annotations

from pathlib import Path

from synth.dirty import REASONS, RECOVERABLE
from synth.scenarios import _PLANTERS
from synth.sources import DATE_FORMATS, SOURCES
from tests.synth.test_synth_scenarios import KINDS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "sample-data.md").read_text(encoding="utf-8")


def test_every_file_and_column_is_documented():
    for spec in SOURCES:
        section = DOC.split(f"#### `{spec.name}`", 1)[1].split("####", 1)[0]
        for column in spec.header:
            assert f"`{column}`" in section, (spec.name, column)
    for name in DATE_FORMATS:
        assert f"`{name}`" in DOC


def test_every_option_fault_variant_and_scenario_is_documented():
    for option in ("--out", "--persons", "--seed", "--dirty"):
        assert f"`{option}" in DOC
    for reason in REASONS.values():
        assert reason.split(".", 1)[1] in DOC, reason
    for variants in RECOVERABLE.values():
        for _, variant in variants:
            assert f"`{variant}`" in DOC, variant
    assert len(_PLANTERS) == len(KINDS)
    for kind in KINDS:
        assert f"`{kind}`" in DOC
    assert "SIZES_TABLE" not in DOC
