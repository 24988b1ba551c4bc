"""An export, start to end: the EXPORT permission checked (a refusal recorded), the graph read
and masked for the role that asks, the file written new (never over an existing one) and
owner-only, and the export recorded as `export` with what, which format, where, whether it
was masked, how many nodes and relationships, and which entities it held.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from access.actor import Actor, guard
from access.audit.log import AuditLog
from access.roles import Permission
from access.visibility import Visibility
from exchange import ftm, graphml, label_csv
from exchange.subgraph import Exported, ExportRefused
from graph.errors import GraphError
from graph.model import Schema
from queries.returned import audited
from settings.home import open_private

FORMATS = ("graphml", "ftm", "csv")
ACTION = "export"


@dataclass(frozen=True)
class ExportReport:
    out: Path
    format: str
    what: str
    nodes: int
    relationships: int
    masked: bool
    files: dict[str, int] = field(default_factory=dict)  # csv: rows per file


def visibility_for(actor: Actor) -> Visibility:
    """What the actor's role may see: everything with SEE_SENSITIVE, masked values otherwise."""
    return Visibility(sees_all=actor.may(Permission.SEE_SENSITIVE))


def export_graph(
    read: Callable[[Visibility], Exported],
    *,
    fmt: str,
    out: Path,
    schema: Schema,
    audit: AuditLog,
    actor: Actor,
    source: str,
    visibility: Visibility | None = None,
) -> ExportReport:
    """Write what `read` returns (given the visibility to mask by) as `fmt` into `out`.
    `source` says what was asked (`query links.neighbourhood`, `label Person`), for the audit
    entry. ExportRefused (recorded) when there is nothing to export or `out` exists."""
    if fmt not in FORMATS:
        raise ExportRefused(f"export format is one of {', '.join(FORMATS)}, not {fmt!r}")
    out = Path(out)
    parameters: dict[str, Any] = {"what": source, "format": fmt, "out": str(out)}
    guard(audit, actor, Permission.EXPORT, ACTION, parameters)
    try:
        if out.exists():
            raise ExportRefused(f"{out} already exists: an export never overwrites a file; name a new one")
        exported = read(visibility or visibility_for(actor))
        files = _write(exported, schema, fmt, out)
    except ExportRefused as exc:
        audit.append(actor.event(ACTION, parameters=parameters, outcome="refused", message=str(exc)))
        raise
    except (GraphError, OSError) as exc:
        audit.append(actor.event(ACTION, parameters=parameters, outcome="error", message=str(exc)))
        raise
    parameters |= {
        "masked": exported.masked,
        "nodes": len(exported.nodes),
        "relationships": len(exported.relationships),
    }
    named, message = audited(exported.refs, "masked for the role" if exported.masked else "")
    rows = len(exported.nodes) + len(exported.relationships)
    audit.append(actor.event(ACTION, parameters=parameters, rows=rows, message=message, entities=named))
    return ExportReport(
        out, fmt, exported.what, len(exported.nodes), len(exported.relationships), exported.masked, files
    )


def _write(exported: Exported, schema: Schema, fmt: str, out: Path) -> dict[str, int]:
    if fmt == "csv":
        try:
            return label_csv.write(exported, schema, out)
        except FileExistsError as exc:
            raise ExportRefused(f"{out} already exists: an export never overwrites a file ({exc})") from None
    writer = graphml.write if fmt == "graphml" else ftm.write
    try:
        with open_private(out, "xb") as handle:
            writer(exported, schema, handle)
    except FileExistsError:
        raise ExportRefused(f"{out} already exists: an export never overwrites a file; name a new one") from None
    return {}


def as_bytes(exported: Exported, schema: Schema, fmt: str) -> bytes:
    """The export as one file in memory (GraphML or FtM), for a download."""
    import io

    buffer = io.BytesIO()
    (graphml.write if fmt == "graphml" else ftm.write)(exported, schema, buffer)
    return buffer.getvalue()
