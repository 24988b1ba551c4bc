from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from graph.errors import ConstraintViolation, CypherSyntaxError, GraphUnavailable, QueryTimeout, ReadOnlyViolation
from graph.gateway import Gateway
from settings.table import Settings

RUNAWAY = "UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b RETURN count(*) AS n"


def test_a_write_in_a_read_session_is_rejected_by_the_server(empty_graph):
    with pytest.raises(ReadOnlyViolation) as caught:
        empty_graph.read("test.sneaky_write", "CREATE (:Person {id_number: 'X'})")
    assert "test.sneaky_write" in str(caught.value)
    assert empty_graph.read("test.count", "MATCH (n) RETURN count(n)").single_value() == 0


def test_a_runaway_query_is_stopped_by_the_configured_timeout(gateway):
    with pytest.raises(QueryTimeout) as caught:
        gateway.read("test.cartesian", RUNAWAY, timeout=1.5)
    message = str(caught.value)
    assert "test.cartesian" in message and "time limit" in message


def test_the_default_read_timeout_comes_from_the_settings(neo4j_env):
    settings = Settings.from_env({**neo4j_env, "GOLDENBELL_QUERY_TIMEOUT": "1"})
    with Gateway.open(settings) as gw, pytest.raises(QueryTimeout, match="GOLDENBELL_QUERY_TIMEOUT is 1 s"):
        gw.read("test.cartesian", RUNAWAY)


def test_a_duplicate_key_gives_a_clear_constraint_error(empty_graph):
    create = "CREATE (:Phone {number: $number})"
    empty_graph.write("test.phone", create, {"number": "13800000000"})
    with pytest.raises(ConstraintViolation) as caught:
        empty_graph.write("test.phone_again", create, {"number": "13800000000"})
    message = str(caught.value)
    assert "test.phone_again" in message and "uniqueness constraint" in message and "Phone" in message


def test_bad_cypher_names_the_query(gateway):
    with pytest.raises(CypherSyntaxError, match=r"query 'test\.typo' is not valid Cypher"):
        gateway.read("test.typo", "MATCH (n RETURN n")


def test_transaction_metadata_carries_the_query_name_and_caller(gateway):
    rows = gateway.read(
        "test.metadata",
        "SHOW TRANSACTIONS YIELD metaData, currentQuery WHERE currentQuery STARTS WITH 'SHOW TRANSACTIONS' "
        "RETURN metaData",
        metadata={"user": "analyst1", "case_ref": "JX-2026-001"},
    ).data()
    assert {"app": "goldenbell", "query": "test.metadata", "user": "analyst1", "case_ref": "JX-2026-001"} in [
        r["metaData"] for r in rows
    ]


def test_max_rows_truncates_and_says_so(gateway):
    result = gateway.read("test.rows", "UNWIND range(1, 50) AS i RETURN i", max_rows=10)
    assert [r["i"] for r in result.records] == list(range(1, 11))
    assert result.truncated
    assert not gateway.read("test.rows", "UNWIND range(1, 5) AS i RETURN i", max_rows=10).truncated


def test_values_travel_as_parameters_not_as_cypher(empty_graph):
    hostile = "'}) DETACH DELETE n //"
    empty_graph.write("test.hostile", "CREATE (:Phone {number: $number})", {"number": hostile})
    assert empty_graph.read("test.find", "MATCH (p:Phone) RETURN p.number AS n").single_value() == hostile


def test_an_unreachable_server_is_reported_as_unavailable(neo4j_env):
    settings = Settings.from_env({"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_PASSWORD": "x"})
    with Gateway.open(settings) as gw:
        with pytest.raises(GraphUnavailable, match="cannot reach Neo4j"):
            gw.verify()
        with pytest.raises(GraphUnavailable, match=r"query 'test\.nowhere'"):
            gw.read("test.nowhere", "RETURN 1")


def test_a_datetime_in_a_named_time_zone_round_trips(gateway):
    """The driver hands zoneinfo its own DateTime type, which zoneinfo misreads (wrong
    offsets, or a crash); the gateway sends fixed offsets instead."""
    moment = datetime(2026, 3, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    back = gateway.read("test.datetime", "RETURN $t AS t", {"t": moment}).single_value()
    assert back.to_native() == moment
