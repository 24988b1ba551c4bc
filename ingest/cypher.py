"""The import's Cypher: batched UNWIND … MERGE statements built from the schema.

Labels, relationship types and property names come from the schema (through a
spec checked against it) and are quoted; every value arrives as a parameter.
Provenance is written on create. A blank value arrives as null and keeps what is
stored, so a row only ever adds or replaces what it actually says; `fill` entities
set only properties that are still empty.
"""

from __future__ import annotations

from functools import cache

from graph.ddl import quote

_ON_CREATE = (
    "ON CREATE SET {v}.prov_run = $run, {v}.prov_source = $source, {v}.prov_file = $file, "
    "{v}.prov_row = row.r, {v}.first_seen = $now"
)


@cache
def merge_rows(entities: tuple, links: tuple) -> str:
    """One statement for rows of one shape.

    `entities`: (alias, label, key property, how, properties, datetime properties) per
    entity, where how is "match" (must exist, checked before), "match-optional" (linked
    only if it exists), "overwrite" (non-blank values replace) or "fill" (only empty
    properties are set); a match's key property is the one it is found by (`match_on`),
    whose values were checked to name one node each, and its properties are those it must
    also hold (`_present`). `links`: (index, type,
    start alias, end alias, key property or None, properties, datetime properties) per
    link. Row parameters are flat: `row.n<i>` is the i-th entity's key, `row.n<i>_<j>` its
    j-th property, `row.n<i>_t<j>` its j-th datetime as ISO text; `row.l<j>…` the same for
    links; `row.r` the source row. A blank value is absent, so null, and keeps what is stored.

    Properties are named one by one rather than set from a map (`+=`): a map may hold
    any key, so the planner must assume each write can change what a later row's MERGE
    reads and buffers the whole batch between steps (Eager), which made imports 3x slower.
    """
    var = {alias: f"n{i}" for i, (alias, *_rest) in enumerate(entities)}
    lines = ["UNWIND $rows AS row"]
    for alias, label, key, how, present, _ in entities:
        if how == "match":
            v = var[alias]
            lines.append(f"MATCH ({v}:{quote(label)} {{{quote(key)}: row.{v}}}){_present(v, present)}")
    for alias, label, key, how, present, _ in entities:
        if how == "match-optional":
            v = var[alias]
            lines.append(f"OPTIONAL MATCH ({v}:{quote(label)} {{{quote(key)}: row.{v}}}){_present(v, present)}")
    optional = {var[alias] for alias, _, _, how, *_ in entities if how == "match-optional"}
    for alias, label, key, how, props, times in entities:
        if how.startswith("match"):
            continue
        v = var[alias]
        lines.append(f"MERGE ({v}:{quote(label)} {{{quote(key)}: row.{v}}})")
        lines.append(_ON_CREATE.format(v=v))
        lines.append("SET " + ", ".join([f"{v}.last_seen = $now", *_sets(v, props, times, fill=how == "fill")]))
    for j, (_, rel_type, start, end, rel_key, props, times) in enumerate(links):
        r = f"l{j}"
        key = f" {{{quote(rel_key)}: row.{r}}}" if rel_key else ""
        merge = [
            f"MERGE ({var[start]})-[{r}:{quote(rel_type)}{key}]->({var[end]})",
            _ON_CREATE.format(v=r),
            "SET " + ", ".join([f"{r}.last_seen = $now", *_sets(r, props, times, fill=False)]),
        ]
        absent = sorted({var[start], var[end]} & optional)
        if absent:  # an optional end that does not exist: no link, the row still loads
            ends = ", ".join(sorted({var[start], var[end], "row"}))
            guard = " AND ".join(f"{v} IS NOT NULL" for v in absent)
            merge = ["WITH *", f"CALL ({ends}) {{", f"  WITH * WHERE {guard}", *("  " + m for m in merge), "}"]
        lines += merge
    return "\n".join(lines)


def _present(v: str, present: tuple[str, ...]) -> str:
    """Found by the first property of a composite index: Neo4j seeks that index only when
    the query also asks for its other properties to exist; without, it scans the label."""
    return (" WHERE " + " AND ".join(f"{v}.{quote(p)} IS NOT NULL" for p in present)) if present else ""


def _sets(v: str, props: tuple[str, ...], times: tuple[str, ...], *, fill: bool) -> list[str]:
    """Assignments of the row's values: a blank (null) one keeps the stored value; with
    `fill`, a stored value is kept even when the row has one."""
    values = [(p, f"row.{v}_{j}") for j, p in enumerate(props)]
    values += [(p, f"datetime(row.{v}_t{j})") for j, p in enumerate(times)]
    if fill:
        return [f"{v}.{quote(p)} = coalesce({v}.{quote(p)}, {value})" for p, value in values]
    return [f"{v}.{quote(p)} = coalesce({value}, {v}.{quote(p)})" for p, value in values]


@cache
def missing_nodes(label: str, key: str) -> str:
    """Keys among $keys with no node: references a batch may not create."""
    return (
        f"UNWIND $keys AS k OPTIONAL MATCH (n:{quote(label)} {{{quote(key)}: k}}) "
        "WITH k, n WHERE n IS NULL RETURN collect(k) AS missing"
    )


@cache
def nodes_per_value(label: str, prop: str, key: str, present: tuple[str, ...] = ()) -> str:
    """Per value of $values, by its position: how many nodes hold it in `prop` (and hold
    `present`, as the statement that links them asks), and the keys of the first two. A
    reference by a property that need not be unique (`match_on`) is sound only when exactly
    one node holds the value; with $every false only the others come back. Positions, not
    values, name the answers: a date or point comes back as another type."""
    return (
        "UNWIND range(0, size($values) - 1) AS i "
        f"OPTIONAL MATCH (n:{quote(label)} {{{quote(prop)}: $values[i]}}){_present('n', present)} "
        f"WITH i, count(n) AS nodes, collect(n.{quote(key)})[..2] AS keys "
        "WHERE $every OR nodes <> 1 RETURN i, nodes, keys"
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
