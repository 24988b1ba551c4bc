"""Tests, laid out like the packages; the ones that touch Cypher run against a real local Neo4j."""
