"""Fixtures for the query packs: the built-in catalog and a runner with its own audit log."""

from __future__ import annotations

import pytest

from access.audit.log import AuditLog
from queries.pack_model import load_catalog
from queries.runner import Runner


@pytest.fixture(scope="session")
def catalog(schema):
    return load_catalog(schema)


@pytest.fixture
def audit(tmp_path) -> AuditLog:
    return AuditLog(tmp_path / "audit.jsonl")


@pytest.fixture
def runner(gateway, catalog, schema, neo4j_settings, audit) -> Runner:
    return Runner(gateway, catalog, schema, neo4j_settings, audit)
