"""Fixtures for the query packs: a runner with its own audit log (the catalog is in tests/conftest.py)."""

from __future__ import annotations

import pytest

from access.audit.log import AuditLog
from queries.runner import Runner


@pytest.fixture
def audit(tmp_path) -> AuditLog:
    return AuditLog(tmp_path / "audit.jsonl")


@pytest.fixture
def runner(gateway, catalog, schema, neo4j_settings, audit) -> Runner:
    return Runner(gateway, catalog, schema, neo4j_settings, audit)
