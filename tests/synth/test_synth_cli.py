"""The `synth` command."""

from __future__ import annotations

import json

from click.testing import CliRunner

from cli.synth import synth


def test_synth_writes_the_sample_and_reports_it(tmp_path):
    result = CliRunner().invoke(
        synth, ["--out", str(tmp_path / "sample"), "--persons", "500", "--seed", "3", "--dirty"]
    )
    assert result.exit_code == 0, result.output
    assert "household_registry.csv" in result.output
    truth = json.loads((tmp_path / "sample" / "ground_truth.json").read_text(encoding="utf-8"))
    assert truth["seed"] == 3 and truth["persons"] == 500 and truth["dirty"] is True


def test_synth_refuses_a_population_too_small_for_the_scenarios(tmp_path):
    result = CliRunner().invoke(synth, ["--out", str(tmp_path), "--persons", "100"])
    assert result.exit_code != 0
    assert "--persons" in result.output


def test_synth_requires_an_output_folder():
    result = CliRunner().invoke(synth, [])
    assert result.exit_code != 0
    assert "--out" in result.output
