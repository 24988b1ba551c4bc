"""Saved query packs and their runner, alert rules, entity profiles, the read-only Cypher console
and saved investigations."""
