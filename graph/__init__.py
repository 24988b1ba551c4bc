"""Neo4j and nothing else: the local server launcher, the one gateway every query goes through,
the schema and its loader, constraints and indexes, and line-numbered YAML."""
