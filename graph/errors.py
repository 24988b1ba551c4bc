"""The project's own exceptions for database work.

Driver failures are turned into these by the gateway, each naming the query that
failed, so a caller can tell a user what happened without knowing Neo4j's codes.
"""

from __future__ import annotations


class GraphError(Exception):
    """A database operation failed. `query_name` says which one."""

    def __init__(self, message: str, *, query_name: str = "", cypher: str = "", code: str = ""):
        self.query_name = query_name
        self.cypher = cypher
        self.code = code
        super().__init__(message)


class GraphUnavailable(GraphError):
    """Neo4j cannot be reached, or refused the credentials."""


class QueryTimeout(GraphError):
    """The query ran past its time limit and the server ended it."""


class ReadOnlyViolation(GraphError):
    """A write was attempted where only reads are allowed."""


class ConstraintViolation(GraphError):
    """A write broke a uniqueness constraint, usually a duplicate key."""


class CypherSyntaxError(GraphError):
    """The Cypher text does not parse, or names something that does not exist."""


class MemoryLimitExceeded(GraphError):
    """The query needed more memory than a transaction may use."""


class QueryFailed(GraphError):
    """Any other failure reported by the server."""
