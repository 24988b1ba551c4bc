"""A first load of an empty store through Neo4j's own bulk importer."""
