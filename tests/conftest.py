"""Shared fixtures: one real local Neo4j for the whole test session.

Tests that touch Cypher run against this server, never a mocked driver. Set
GOLDENBELL_TEST_NEO4J_URI (with NEO4J_USER/NEO4J_PASSWORD) to test against
another server instead; its database is wiped by the tests.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph import admin, ddl, local_server
from graph.gateway import Gateway
from graph.model import Schema, load_schema
from settings.table import PROJECT_ROOT, Settings

TEST_HOMES = PROJECT_ROOT / ".goldenbell"


def server_env(home: Path, port: int, **overrides: str) -> dict[str, str]:
    """Settings for a small local Neo4j used by tests (2-core CI machines)."""
    env = {
        "GOLDENBELL_HOME": str(home),
        "GOLDENBELL_BOLT_PORT": str(port),
        "GOLDENBELL_HEAP": "1g",
        "GOLDENBELL_PAGECACHE": "256m",
        "GOLDENBELL_TX_MEMORY": "512m",
        "GOLDENBELL_TX_MEMORY_TOTAL": "700m",
        "GOLDENBELL_QUERY_TIMEOUT": "10",
        "GOLDENBELL_START_TIMEOUT": "180",
    }
    env.update(overrides)
    return env


@pytest.fixture(scope="session")
def neo4j_env() -> Iterator[dict[str, str]]:
    external = os.environ.get("GOLDENBELL_TEST_NEO4J_URI")
    if external:
        yield {
            "NEO4J_URI": external,
            "NEO4J_USER": os.environ.get("NEO4J_USER", "neo4j"),
            "NEO4J_PASSWORD": os.environ.get("NEO4J_PASSWORD", ""),
            "GOLDENBELL_QUERY_TIMEOUT": "10",
        }
        return
    port = int(os.environ.get("GOLDENBELL_TEST_BOLT_PORT", "7688"))
    # One home per port, so test sessions on different ports can run side by side.
    home = TEST_HOMES / f"test-{port}"
    env = server_env(home, port)
    settings = Settings.from_env(env)
    local_server.stop(settings)
    shutil.rmtree(home, ignore_errors=True)
    local_server.start(settings)
    try:
        yield env
    finally:
        local_server.stop(settings)


@pytest.fixture(scope="session")
def neo4j_settings(neo4j_env: dict[str, str]) -> Settings:
    return Settings.from_env(neo4j_env)


@pytest.fixture(scope="session")
def schema() -> Schema:
    return load_schema(PROJECT_ROOT / "graph" / "schema")


@pytest.fixture(scope="session")
def gateway(neo4j_settings: Settings, schema: Schema) -> Iterator[Gateway]:
    with Gateway.open(neo4j_settings) as gw:
        ddl.apply_schema(gw, schema)
        yield gw


@pytest.fixture(scope="session")
def catalog(schema: Schema):
    """The built-in query packs, as the workbench and the commands load them."""
    from queries.pack_model import load_catalog

    return load_catalog(schema)


@pytest.fixture
def empty_graph(gateway: Gateway) -> Gateway:
    """The session's database with every node and relationship deleted."""
    admin.wipe(gateway)
    return gateway


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory) -> Path:
    """The default sample, as `make demo` loads it: default size and seed, with dirty rows."""
    from synth import generate

    folder = tmp_path_factory.mktemp("sample")
    generate(folder, dirty=True)
    return folder


@pytest.fixture(scope="session")
def ground_truth(sample_dir: Path) -> dict:
    return json.loads((sample_dir / "ground_truth.json").read_text(encoding="utf-8"))


def sample_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".csv", ".jsonl", ".xlsx"))


@pytest.fixture
def sample_graph(gateway: Gateway, schema: Schema, sample_dir: Path, tmp_path_factory) -> Gateway:
    """The database holding the default sample. Files already imported are skipped, so
    this costs an import only after a test wiped the database."""
    return load_sample(gateway, schema, sample_dir, tmp_path_factory)


def load_sample(gateway: Gateway, schema: Schema, sample_dir: Path, tmp_path_factory) -> Gateway:
    """Every file of the default sample into the database (those already there are skipped)."""
    from ingest.api import import_files

    import_files(
        sample_files(sample_dir),
        schema=schema,
        gateway=gateway,
        rejects_path=tmp_path_factory.mktemp("rejects") / "rejects.csv",
    )
    return gateway
