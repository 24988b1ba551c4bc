"""Interchange formats: the graph (a query's result, an investigation's map or a label's
projection) written out as GraphML, FollowTheMoney entities (JSON lines) or one CSV per label
and relationship type for neo4j-admin, masked for the operator's role and recorded; and
GraphML and FollowTheMoney files read back into the graph through the schema, row by row,
with a reject file.

See docs/interchange.md for the formats and what a round trip keeps.
"""
