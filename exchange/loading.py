"""A GraphML or FollowTheMoney file into the graph: read whole, checked through the schema
(exchange/checking.py), rejects written to the importer's reject file, and the rest written
with the importer's own statements (`ingest.cypher.merge_rows`): nodes MERGEd on their keys
and links between them, provenance set on create, the run and the file recorded as an
`ImportRun` and a `SourceFile` like any other import. Importing the same file again adds
nothing.

A masked export is refused whole, before anything is written: its ID numbers and phones are
not the real ones, and as keys they would make new, wrong entities.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from neo4j.spatial import WGS84Point

from access.actor import Actor, guard
from access.audit.log import AuditLog
from access.roles import Permission
from exchange import ftm, graphml
from exchange.checking import Checked, CheckedLink, CheckedNode, check
from exchange.rows import ReadFile, UnreadableFile
from graph.ddl import quote
from graph.errors import GraphError
from graph.gateway import driver_safe
from graph.initials import with_initials
from graph.model import Schema
from ingest import cypher
from ingest.api import new_run_id
from ingest.file_import import file_sha256
from ingest.rejects import RejectWriter

if TYPE_CHECKING:
    from graph.gateway import Gateway

GRAPHML_SUFFIXES = (".graphml", ".xml")
FTM_SUFFIXES = (".json", ".jsonl", ".ftm", ".ijson")
MASKED_REFUSAL = (
    "is a masked export: its ID numbers and phones were hidden for the role that made it, so its keys are "
    "not the real ones and would create wrong entities. Nothing was imported; export it again with a role "
    "that sees them in full (see docs/interchange.md)"
)


@dataclass
class GraphImportReport:
    run_id: str
    path: Path
    format: str
    dry_run: bool
    rows_read: int = 0
    nodes_loaded: int = 0
    links_loaded: int = 0
    rows_rejected: int = 0
    values_dropped: int = 0
    reasons: Counter = field(default_factory=Counter)
    rejects_path: Path | None = None
    seconds: float = 0.0

    @property
    def rows_loaded(self) -> int:
        return self.nodes_loaded + self.links_loaded

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "file": str(self.path),
            "format": self.format,
            "dry_run": self.dry_run,
            "rows_read": self.rows_read,
            "nodes_loaded": self.nodes_loaded,
            "links_loaded": self.links_loaded,
            "rows_rejected": self.rows_rejected,
            "values_dropped": self.values_dropped,
            "reasons": dict(sorted(self.reasons.items())),
            "rejects_path": str(self.rejects_path) if self.rejects_path else None,
            "seconds": round(self.seconds, 3),
        }


def file_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in GRAPHML_SUFFIXES:
        return "graphml"
    if suffix in FTM_SUFFIXES:
        return "ftm"
    raise UnreadableFile(
        f"{path}: cannot tell the format from the name; GraphML files end in {', '.join(GRAPHML_SUFFIXES)}, "
        f"FollowTheMoney files in {', '.join(FTM_SUFFIXES)}"
    )


def read_file(path: Path, schema: Schema) -> ReadFile:
    """The file read whole; UnreadableFile when it cannot be read at all or is a masked export."""
    fmt = file_format(path)
    try:
        found = graphml.read(path) if fmt == "graphml" else ftm.read(path, schema)
    except OSError as exc:
        raise UnreadableFile(f"{path}: {exc.strerror or exc}") from None
    if found.masked:
        raise UnreadableFile(f"{path} {MASKED_REFUSAL}")
    return found


def import_graph(
    path: Path,
    *,
    schema: Schema,
    gateway: Gateway | None,
    audit: AuditLog,
    actor: Actor,
    rejects_path: Path | None,
    dry_run: bool = False,
    batch_size: int = 1000,
    run_id: str | None = None,
) -> GraphImportReport:
    """Load one interchange file (or only check it, `dry_run`), recorded as `import` (or
    `import.dry_run`). Raises UnreadableFile, with nothing written, when the file cannot be
    read as a whole; rejected rows never raise."""
    began = time.monotonic()
    path = Path(path)
    action = "import.dry_run" if dry_run else "import"
    parameters = {"files": [path.name], "spec": "exchange"}
    guard(audit, actor, Permission.IMPORT, action, parameters)
    report = GraphImportReport(run_id or new_run_id(), path, "", dry_run, rejects_path=rejects_path)
    try:
        report.format = file_format(path)
        parameters["spec"] = f"exchange.{report.format}"
        found = read_file(path, schema)
        checked = check(found, schema)
        _account(report, found, checked, rejects_path)
        if not dry_run:
            if gateway is None:
                raise ValueError("a gateway is needed unless dry_run is set")
            _write(gateway, schema, path, report, checked, batch_size, user=actor.user)
    except (UnreadableFile, GraphError) as exc:
        audit.append(actor.event(action, parameters=parameters, outcome="error", message=str(exc)))
        raise
    report.seconds = time.monotonic() - began
    message = f"run {report.run_id}: read {report.rows_read}, rejected {report.rows_rejected}"
    audit.append(actor.event(action, parameters=parameters, rows=report.rows_loaded, message=message))
    return report


def _account(report: GraphImportReport, found: ReadFile, checked: Checked, rejects_path: Path | None) -> None:
    report.rows_read = found.rows
    report.nodes_loaded, report.links_loaded = len(checked.nodes), len(checked.links)
    report.rows_rejected = len(checked.rejects)
    report.values_dropped = len(checked.dropped)
    report.reasons = Counter(str(reject.reason) for reject in (*checked.rejects, *checked.dropped))
    writer = RejectWriter(rejects_path)
    try:
        for reject in sorted((*checked.rejects, *checked.dropped), key=lambda r: r.number):
            writer.write(report.path, reject)
    finally:
        writer.close()
    if not writer.count:
        report.rejects_path = None


def _write(
    gateway: Gateway,
    schema: Schema,
    path: Path,
    report: GraphImportReport,
    checked: Checked,
    batch_size: int,
    *,
    user: str,
) -> None:
    """The checked rows into the graph, under an import run recorded as `user`'s."""
    now = datetime.now(UTC)
    spec = f"exchange.{report.format}"
    file_hash = file_sha256(path)
    common = {"run": report.run_id, "source": f"{report.format} file {path.name}", "file": file_hash, "now": now}
    gateway.write(
        "exchange.start_run", cypher.START_RUN, {"run": report.run_id, "now": now, "spec": spec, "user": user}
    )
    gateway.write(
        "exchange.start_file",
        cypher.START_FILE,
        {
            "run": report.run_id,
            "file": file_hash,
            "name": path.name,
            "size": path.stat().st_size,
            "encoding": "utf-8",
            "spec": spec,
            "now": now,
            "resume_from": 0,
            "loaded": 0,
            "rejected": 0,
        },
    )
    status = "failed"
    try:
        for statement, rows in _node_statements(checked.nodes, schema):
            for chunk in _chunks(rows, batch_size):
                _run(gateway, "exchange.nodes", statement, {**common, "rows": chunk})
        for statement, rows in _link_statements(checked.links, schema):
            for chunk in _chunks(rows, batch_size):
                _run(gateway, "exchange.links", statement, {**common, "rows": chunk})
        status = "completed"
    finally:
        counts = {"read": report.rows_read, "loaded": report.rows_loaded, "rejected": report.rows_rejected}
        gateway.write(
            "exchange.finish_file",
            cypher.FINISH_FILE,
            {"run": report.run_id, "spec": spec, "file": file_hash, "status": status, **counts},
        )
        gateway.write(
            "exchange.finish_run",
            cypher.FINISH_RUN,
            {"run": report.run_id, "status": status, "now": datetime.now(UTC), **counts},
        )


def _node_statements(nodes: Sequence[CheckedNode], schema: Schema) -> Iterable[tuple[str, list[dict]]]:
    by_shape: dict[tuple, list[dict]] = defaultdict(list)
    for node in nodes:
        params: dict[str, Any] = {"r": node.line, "n0": _driver(node.key)}
        names, times = _fill(params, "n0", with_initials(schema.nodes[node.label], node.properties))
        by_shape[(node.label, names, times)].append(params)
    for (label, names, times), rows in by_shape.items():
        key = schema.nodes[label].key
        yield cypher.merge_rows((("node", label, key, "overwrite", names, times),), ()), rows


def _link_statements(links: Sequence[CheckedLink], schema: Schema) -> Iterable[tuple[str, list[dict]]]:
    by_shape: dict[tuple, list[dict]] = defaultdict(list)
    for link in links:
        params: dict[str, Any] = {"r": link.line, "n0": _driver(link.start.key), "n1": _driver(link.end.key)}
        identity = tuple(link.identity)
        if len(identity) == 1:
            params["l0"] = _driver(link.identity[identity[0]])
        else:
            params.update({f"l0_i{j}": _driver(link.identity[name]) for j, name in enumerate(identity)})
        names, times = _fill(params, "l0", link.properties)
        by_shape[(link.type, link.start.label, link.end.label, identity, names, times)].append(params)
    for (rel_type, start, end, identity, names, times), rows in by_shape.items():
        start_key, end_key = schema.nodes[start].key, schema.nodes[end].key
        if len(identity) > 1:
            yield _merge_on_several(rel_type, (start, start_key), (end, end_key), identity, names, times), rows
            continue
        ends = (("a", start, start_key, "match", (), ()), ("b", end, end_key, "match", (), ()))
        key = identity[0] if identity else None
        yield cypher.merge_rows(ends, ((0, rel_type, "a", "b", key, names, times),)), rows


def _merge_on_several(
    rel_type: str,
    start: tuple[str, str],
    end: tuple[str, str],
    identity: tuple[str, ...],
    names: tuple[str, ...],
    times: tuple[str, ...],
) -> str:
    """As `ingest.cypher.merge_rows` writes a link, MERGEd on several properties (which it does
    not do): the parameters are the same, with `row.l0_i<j>` the j-th property of `identity`."""
    on = ", ".join(f"{quote(name)}: row.l0_i{j}" for j, name in enumerate(identity))
    sets = ["r.last_seen = $now"]
    sets += [f"r.{quote(p)} = coalesce(row.l0_{j}, r.{quote(p)})" for j, p in enumerate(names)]
    sets += [f"r.{quote(p)} = coalesce(datetime(row.l0_t{j}), r.{quote(p)})" for j, p in enumerate(times)]
    return "\n".join(
        [
            "UNWIND $rows AS row",
            f"MATCH (a:{quote(start[0])} {{{quote(start[1])}: row.n0}})",
            f"MATCH (b:{quote(end[0])} {{{quote(end[1])}: row.n1}})",
            f"MERGE (a)-[r:{quote(rel_type)} {{{on}}}]->(b)",
            "ON CREATE SET r.prov_run = $run, r.prov_source = $source, r.prov_file = $file, r.prov_row = row.r, "
            "r.first_seen = $now",
            "SET " + ", ".join(sets),
        ]
    )


def _run(gateway: Gateway, name: str, statement: str, params: dict[str, Any]) -> None:
    """One batch in its own transaction, its parameters as built here: `Gateway.write` would turn
    a point (a tuple to Python) into a list of floats."""
    gateway.in_write_transaction(name, lambda tx: tx.run(statement, params).consume())


def _fill(params: dict[str, Any], var: str, values: dict[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The row's flat parameters as `ingest.cypher.merge_rows` reads them: `n0_2`, and datetimes
    as ISO text in `n0_t0` (the server parses them to the same offset datetime)."""
    names = tuple(sorted(n for n, v in values.items() if not _is_datetime(v)))
    times = tuple(sorted(n for n, v in values.items() if _is_datetime(v)))
    for j, name in enumerate(names):
        params[f"{var}_{j}"] = _driver(values[name])
    for j, name in enumerate(times):
        params[f"{var}_t{j}"] = values[name].isoformat()
    return names, times


def _is_datetime(value: Any) -> bool:
    return isinstance(value, datetime) and value.tzinfo is not None


def _driver(value: Any) -> Any:
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, float) for v in value):
        return WGS84Point(value)
    return driver_safe(value)


def _chunks(rows: list[dict], size: int) -> Iterable[list[dict]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
