"""The import's Cypher: batched UNWIND … MERGE statements built from the schema.

Labels, relationship types and property names come from the schema (through a
spec checked against it) and are quoted; every value arrives as a parameter.
Provenance is written on create; properties are updated with coalesce so a
blank column never erases what another source said.
"""

from __future__ import annotations

from functools import cache

from graph.ddl import quote

_ON_CREATE = (
    "ON CREATE SET {v}.prov_run = $run, {v}.prov_source = $source, {v}.prov_file = $file, "
    "{v}.prov_row = row.r, {v}.first_seen = $now"
)


def _sets(var: str, properties: tuple[str, ...], update: str) -> str:
    parts = [f"{var}.last_seen = $now"]
    for name in properties:
        q = quote(name)
        if update == "fill":
            parts.append(f"{var}.{q} = coalesce({var}.{q}, row.p.{q})")
        else:
            parts.append(f"{var}.{q} = coalesce(row.p.{q}, {var}.{q})")
    return "SET " + ", ".join(parts)


@cache
def merge_nodes(label: str, key: str, properties: tuple[str, ...], update: str) -> str:
    return "\n".join(
        [
            "UNWIND $rows AS row",
            f"MERGE (n:{quote(label)} {{{quote(key)}: row.k}})",
            _ON_CREATE.format(v="n"),
            _sets("n", properties, update),
        ]
    )


@cache
def missing_nodes(label: str, key: str) -> str:
    """Keys among $keys with no node: references a batch may not create."""
    return (
        f"UNWIND $keys AS k OPTIONAL MATCH (n:{quote(label)} {{{quote(key)}: k}}) "
        "WITH k, n WHERE n IS NULL RETURN collect(k) AS missing"
    )


@cache
def merge_links(
    rel_type: str,
    start: tuple[str, str],
    end: tuple[str, str],
    rel_key: str | None,
    properties: tuple[str, ...],
) -> str:
    (start_label, start_key), (end_label, end_key) = start, end
    pattern = f"[r:{quote(rel_type)} {{{quote(rel_key)}: row.rk}}]" if rel_key else f"[r:{quote(rel_type)}]"
    return "\n".join(
        [
            "UNWIND $rows AS row",
            f"MATCH (a:{quote(start_label)} {{{quote(start_key)}: row.a}})",
            f"MATCH (b:{quote(end_label)} {{{quote(end_key)}: row.b}})",
            f"MERGE (a)-{pattern}->(b)",
            _ON_CREATE.format(v="r"),
            _sets("r", properties, "overwrite"),
        ]
    )


# Runs and source files: the bookkeeping that makes imports auditable and resumable.

FIND_PROGRESS = """
MATCH (f:SourceFile {file_hash: $file})<-[rf:READ_FILE {spec: $spec}]-(run:ImportRun)
RETURN run.run_id AS run_id, rf.status AS status, rf.rows_committed AS rows_committed,
       rf.rows_loaded AS rows_loaded, rf.rows_rejected AS rows_rejected
ORDER BY run.started_at DESC LIMIT 1
"""

START_RUN = """
MERGE (run:ImportRun {run_id: $run})
ON CREATE SET run.started_at = $now, run.status = 'running', run.spec = $spec, run.user = $user,
              run.rows_read = 0, run.rows_loaded = 0, run.rows_rejected = 0,
              run.prov_run = $run, run.prov_source = 'goldenbell', run.first_seen = $now
SET run.last_seen = $now
"""

START_FILE = """
MATCH (run:ImportRun {run_id: $run})
MERGE (f:SourceFile {file_hash: $file})
ON CREATE SET f.name = $name, f.size_bytes = $size, f.encoding = $encoding,
              f.prov_run = $run, f.prov_source = 'goldenbell', f.first_seen = $now
SET f.last_seen = $now
MERGE (run)-[rf:READ_FILE {spec: $spec}]->(f)
ON CREATE SET rf.status = 'running', rf.rows_read = 0, rf.rows_committed = $resume_from,
              rf.rows_loaded = $loaded, rf.rows_rejected = $rejected, rf.prov_run = $run, rf.first_seen = $now
SET rf.last_seen = $now
WITH f
OPTIONAL MATCH (f)<-[old:READ_FILE {spec: $spec, status: 'running'}]-(other:ImportRun)
WHERE other.run_id <> $run
SET old.status = 'interrupted', other.status = 'interrupted'
"""

SAVE_PROGRESS = """
MATCH (:ImportRun {run_id: $run})-[rf:READ_FILE {spec: $spec}]->(:SourceFile {file_hash: $file})
SET rf.rows_committed = $committed, rf.rows_loaded = $loaded, rf.rows_rejected = $rejected
"""

FINISH_FILE = """
MATCH (run:ImportRun {run_id: $run})-[rf:READ_FILE {spec: $spec}]->(f:SourceFile {file_hash: $file})
SET rf.status = $status, rf.rows_read = $read, rf.rows_loaded = $loaded, rf.rows_rejected = $rejected,
    f.rows = $read
"""

FINISH_RUN = """
MATCH (run:ImportRun {run_id: $run})
SET run.status = $status, run.finished_at = $now, run.rows_read = $read, run.rows_loaded = $loaded,
    run.rows_rejected = $rejected
"""
