"""Fixtures for the query packs: a runner with its own audit log (the catalog is in tests/conftest.py)."""

from __future__ import annotations

import pytest

from access.audit.log import AuditLog
from graph import admin
from ingest.file_import import file_sha256
from queries.runner import Runner
from tests.conftest import load_sample, sample_files


@pytest.fixture
def audit(tmp_path) -> AuditLog:
    return AuditLog(tmp_path / "audit.jsonl")


@pytest.fixture
def runner(gateway, catalog, schema, neo4j_settings, audit) -> Runner:
    return Runner(gateway, catalog, schema, neo4j_settings, audit)


@pytest.fixture(scope="module")
def graph(gateway, schema, sample_dir, tmp_path_factory):
    """The graph holding the default sample and nothing else (as `sample_graph`, but once
    for the module, and wiped first when an earlier test left other files' data)."""
    ours = {file_sha256(path) for path in sample_files(sample_dir)}
    stored = gateway.read("test.files", "MATCH (f:SourceFile) RETURN collect(f.file_hash)").single_value()
    if set(stored) - ours:
        admin.wipe(gateway)
    return load_sample(gateway, schema, sample_dir, tmp_path_factory)
