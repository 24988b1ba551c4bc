"""The default sample, generated once per test session (dirty, as `make demo`
loads it) and once clean."""

from __future__ import annotations

import pytest

from synth import DEFAULT_PERSONS, DEFAULT_SEED, generate


@pytest.fixture(scope="session")
def default_sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth-dirty")
    generate(out, persons=DEFAULT_PERSONS, seed=DEFAULT_SEED, dirty=True)
    return out


@pytest.fixture(scope="session")
def clean_sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth-clean")
    generate(out, persons=DEFAULT_PERSONS, seed=DEFAULT_SEED, dirty=False)
    return out
