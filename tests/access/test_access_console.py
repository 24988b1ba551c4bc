"""The Cypher console's limits at the library level: `check_read_only` refuses writes,
LOAD CSV, administration, CALL … IN TRANSACTIONS and several statements before any of
it runs, and the database is unchanged afterwards."""

from __future__ import annotations

import pytest

from graph.gateway import Gateway
from queries.readonly import NotReadOnly, check_read_only

REFUSED = {
    "create": "CREATE (:Person {id_number: '330402199001011234'})",
    "merge": "MERGE (p:Person {id_number: '330402199001011234'}) RETURN p",
    "set": "MATCH (p:Person) SET p.name = 'x' RETURN p",
    "delete": "MATCH (n) DETACH DELETE n",
    "remove": "MATCH (p:Person) REMOVE p.name RETURN p",
    "foreach": "FOREACH (x IN [1] | CREATE (:Person))",
    "write in a subquery": "MATCH (p:Person) CALL (p) { SET p.x = 1 } RETURN p",
    "load csv": "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "load csv with headers, lower case": "load csv with headers from 'https://example.org/x.csv' as row return row",
    "load csv behind a comment": "LOAD /* hidden */ CSV FROM 'file:///x.csv' AS row RETURN row",
    "two statements": "MATCH (n) RETURN n; MATCH (m) RETURN m",
    "a write after a read": "MATCH (n) RETURN count(n); CREATE (:Person)",
    "in transactions": "MATCH (p:Person) CALL (p) { RETURN p.name AS name } IN TRANSACTIONS OF 10 ROWS RETURN name",
    "in transactions, old form": "CALL { MATCH (p:Person) RETURN p } IN TRANSACTIONS RETURN p",
    "in concurrent transactions": "CALL () { MATCH (p:Person) RETURN p } IN 2 CONCURRENT TRANSACTIONS RETURN p",
    "security procedure": "CALL dbms.security.createUser('mallory', 'secret-password', false)",
    "list users procedure": "CALL dbms.security.listUsers()",
    "config procedure": "CALL dbms.setConfigValue('db.logs.query.enabled', 'OFF')",
    "schema-changing procedure": "CALL db.createLabel('Secret')",
    "clearing caches": "CALL db.clearQueryCaches()",
    "create user": "CREATE USER mallory SET PASSWORD 'secret-password' CHANGE NOT REQUIRED",
    "alter user": "ALTER USER neo4j SET PASSWORD 'secret-password'",
    "drop user": "DROP USER neo4j",
    "show users": "SHOW USERS",
    "show transactions": "SHOW TRANSACTIONS",
    "terminate": "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "stop database": "STOP DATABASE neo4j",
    "drop database": "DROP DATABASE neo4j",
    "create database": "CREATE DATABASE other",
    "create index": "CREATE INDEX secret FOR (p:Person) ON (p.name)",
    "drop constraint": "DROP CONSTRAINT person_key IF EXISTS",
    "grant": "GRANT ROLE admin TO mallory",
    "use another database": "USE system SHOW DATABASES",
    "explain prefix": "EXPLAIN MATCH (n) RETURN n",
}


def node_count(gateway: Gateway) -> int:
    return gateway.read("test.count", "MATCH (n) RETURN count(n) AS n").single_value()


@pytest.mark.parametrize("cypher", REFUSED.values(), ids=REFUSED.keys())
def test_the_console_refuses_before_running(empty_graph, cypher):
    empty_graph.write("test.seed", "CREATE (:Person {id_number: '110101199003077777', name: '甲'})")
    with pytest.raises(NotReadOnly):
        check_read_only(empty_graph, cypher)
    assert node_count(empty_graph) == 1
    assert empty_graph.read("test.name", "MATCH (p:Person) RETURN p.name").single_value() == "甲"


@pytest.mark.parametrize(
    "cypher",
    [
        "MATCH (p:Person) RETURN p.name AS name LIMIT 5",
        "MATCH (p:Person) RETURN p.name AS name LIMIT 5;",
        "MATCH (p:Person) WHERE p.name = 'CREATE; LOAD CSV' RETURN p",  # the words in a string are data
        "CALL db.index.fulltext.queryNodes('gb_fulltext_entities', '张') YIELD node RETURN node LIMIT 1",
        "CALL db.labels() YIELD label RETURN label",
    ],
)
def test_plain_reads_pass(gateway, cypher):
    check_read_only(gateway, cypher)
