"""The local Neo4j's life cycle, driven through the CLI as a user would."""

from __future__ import annotations

import socket
import stat
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner

from cli.main import main
from graph import local_server
from graph.gateway import Gateway
from settings.table import Settings
from tests.conftest import server_env

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def lifecycle_env(tmp_path: Path):
    env = server_env(tmp_path / "home", free_port(), GOLDENBELL_TX_TIMEOUT="2")
    yield env
    local_server.stop(Settings.from_env(env))


def cli(env: dict[str, str], *args: str):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_status_on_a_stopped_server_exits_non_zero_with_a_clear_message(tmp_path):
    result = cli(server_env(tmp_path / "home", free_port()), "db", "status")
    assert result.exit_code == 1
    assert "no local Neo4j is running" in result.output
    assert "goldenbell db start" in result.output


def test_data_survives_stop_and_start_and_restarts_need_no_recovery(lifecycle_env):
    settings = Settings.from_env(lifecycle_env)
    started = cli(lifecycle_env, "db", "start")
    assert started.exit_code == 0, started.output
    assert "Neo4j 5.26." in started.output

    assert cli(lifecycle_env, "db", "init").exit_code == 0
    # The workbench's gateway outlives a restart of the server: its pooled connection is
    # then dead, and a read must still answer rather than fail on it.
    with Gateway.open(settings) as workbench_gateway:
        workbench_gateway.write("test.seed", "CREATE (:Vehicle {plate: '浙F12345', brand: '比亚迪'})")

        status = cli(lifecycle_env, "db", "status")
        assert status.exit_code == 0
        assert "1 nodes" in status.output and "Vehicle" in status.output and "MB" in status.output

        stopped = cli(lifecycle_env, "db", "stop")
        assert stopped.exit_code == 0 and "Stopped" in stopped.output
        assert cli(lifecycle_env, "db", "status").exit_code == 1

        assert cli(lifecycle_env, "db", "start").exit_code == 0
        read = "MATCH (v:Vehicle {plate: '浙F12345'}) RETURN v.brand"
        assert workbench_gateway.read("test.read", read).single_value() == "比亚迪"
    with Gateway.open(settings) as gw:
        assert gw.read("test.read", read).single_value() == "比亚迪"
    # After a kill -9 Neo4j logs "Recovery required from position …"; a clean stop leaves nothing to recover.
    debug_log = (settings.neo4j_home / "logs" / "debug.log").read_text(encoding="utf-8")
    assert "Recovery required" not in debug_log


def test_a_second_start_on_the_same_store_is_refused(lifecycle_env, tmp_path):
    assert cli(lifecycle_env, "db", "start").exit_code == 0
    again = cli(lifecycle_env, "db", "start")
    assert again.exit_code == 1
    assert "already running" in again.output

    # Another home pointing at the same store: Neo4j's own store lock refuses it.
    other = {
        **lifecycle_env,
        "GOLDENBELL_HOME": str(tmp_path / "other"),
        "GOLDENBELL_BOLT_PORT": str(free_port()),
        "GOLDENBELL_STORE_DIR": str(Settings.from_env(lifecycle_env).neo4j_home),
    }
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "neo4j-password").write_text("not-the-same-password\n")
    refused = cli(other, "db", "start")
    assert refused.exit_code == 1
    assert "already in use by another Neo4j process" in refused.output
    assert local_server.read_state(Settings.from_env(other)) is None


def test_authentication_is_on_with_an_owner_only_password_file(lifecycle_env):
    settings = Settings.from_env(lifecycle_env)
    assert cli(lifecycle_env, "db", "start").exit_code == 0
    mode = stat.S_IMODE(settings.password_file.stat().st_mode)
    assert mode == 0o600
    driver = neo4j.GraphDatabase.driver(settings.local_uri, auth=("neo4j", "wrong-password"))
    with driver, pytest.raises(neo4j.exceptions.AuthError):
        driver.verify_connectivity()


def test_the_server_timeout_stops_a_runaway_write(lifecycle_env):
    from graph.errors import QueryTimeout

    settings = Settings.from_env(lifecycle_env)
    assert cli(lifecycle_env, "db", "start").exit_code == 0
    with Gateway.open(settings) as gw, pytest.raises(QueryTimeout):
        gw.write(
            "test.runaway_write",
            "UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b "
            "WITH count(*) AS n CREATE (:Phone {number: toString(n)})",
        )


def test_with_neo4j_uri_set_start_says_it_is_not_needed(tmp_path):
    env = {"GOLDENBELL_HOME": str(tmp_path), "NEO4J_URI": "neo4j+s://example.databases.neo4j.io"}
    result = cli(env, "db", "start")
    assert result.exit_code == 0
    assert "no local Neo4j is needed" in result.output
    assert not (tmp_path / "neo4j").exists()


def test_wipe_needs_yes(tmp_path):
    result = cli({"GOLDENBELL_HOME": str(tmp_path)}, "db", "wipe")
    assert result.exit_code == 1 and "--yes" in result.output


def test_the_local_neo4j_keeps_a_bounded_amount_of_transaction_logs(gateway):
    # Neo4j's default (two days of them) filled a 60 GB disk during a city-scale import.
    kept = gateway.read(
        "test.config",
        "CALL dbms.listConfig('db.tx_log.rotation.retention_policy') YIELD value RETURN value",
    ).single_value()
    assert kept == Settings.from_env({}).tx_log_keep == "1G size"
