"""Files the workbench hands out — maps, reports, tables, the audit log — each recorded in the audit log.

Rows and maps come through `Display`, so a download shows exactly what the screen shows
for the investigator's role. Pages offer downloads only to roles with EXPORT; each
function checks it again (a refusal is recorded) before building anything.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from access import Permission, export_audit
from access.actor import guard
from workbench import resources
from workbench.display import Display
from workbench.investigator import Investigator
from workbench.map_state import MapState
from workbench.report import drawn_ids, map_html, report_html


def _allowed(display: Display, what: str, permission: Permission = Permission.EXPORT) -> None:
    guard(resources.workspace().audit, display.investigator.actor, permission, "export", {"what": what})


def _record(display: Display, what: str, rows: int, **details: Any) -> None:
    event = display.investigator.event("export", parameters={"what": what, **details}, rows=rows)
    resources.workspace().audit.append(event)


def map_file(state: MapState, display: Display, shown: set[str] | None, *, title: str) -> str:
    _allowed(display, "map.html")
    html = map_html(state, display, shown, title=title)
    _record(display, "map.html", len(state.nodes))
    return html


def report_file(state: MapState, display: Display, *, title: str, notes: str, investigation_id: str | None) -> str:
    _allowed(display, "investigation.html")
    html = report_html(state, display, title=title, notes=notes)
    _record(display, "investigation.html", len(state.nodes), investigation_id=investigation_id or "")
    return html


def csv_file(rows: Iterable[Mapping[str, Any]], columns: list[str], display: Display, *, what: str) -> bytes:
    _allowed(display, f"{what}.csv")
    shown = display.rows(rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in shown:
        writer.writerow(
            {k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v for k, v in row.items()}
        )
    _record(display, f"{what}.csv", len(shown))
    # A byte-order mark, so spreadsheet programs read the Chinese text as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def json_file(rows: Iterable[Mapping[str, Any]], display: Display, *, what: str) -> bytes:
    _allowed(display, f"{what}.json")
    shown = display.rows(rows)
    _record(display, f"{what}.json", len(shown))
    return json.dumps(shown, ensure_ascii=False, indent=1).encode("utf-8")


def text_file(
    lines: Iterable[str], display: Display, *, what: str, permission: Permission = Permission.EXPORT
) -> bytes:
    """A text file with every line masked as free text. An import's reject report needs IMPORT
    (whoever may load the files may see what was refused), anything else EXPORT."""
    _allowed(display, what, permission)
    shown = [display.text(line) for line in lines]
    _record(display, what, len(shown))
    return "".join(shown).encode("utf-8")


def audit_file(investigator: Investigator, fmt: str, **filters: Any) -> bytes:
    """The audit log (or the entries matching `filters`) as the backend exports it: JSON lines
    byte for byte, so a copy verifies; recorded as `audit.export` (READ_AUDIT, not EXPORT)."""
    with tempfile.TemporaryDirectory(prefix="goldenbell-audit-") as folder:
        out = Path(folder) / f"audit.{fmt}"
        export_audit(resources.workspace().audit, investigator.actor, out, fmt, **filters)
        return out.read_bytes()


def graph_file(state: MapState, display: Display, shown: set[str] | None, *, fmt: str, title: str) -> bytes:
    """The map's drawn entities and links (what the filters show, less what the analyst hid)
    as GraphML (`fmt` "graphml") or FollowTheMoney JSON lines ("ftm"), masked as the screen
    is; a masked file says so and is refused by `import-graph`."""
    from exchange.exporting import as_bytes
    from exchange.subgraph import prepared

    what = "map.graphml" if fmt == "graphml" else "map.ftm.jsonl"
    _allowed(display, what)
    drawn = drawn_ids(state, shown)
    nodes = [node for node_id, node in state.nodes.items() if node_id in drawn]
    edges = [edge for edge_id, edge in state.edges.items() if edge_id in drawn]
    exported = prepared(display.schema, nodes, edges, visibility=display.visibility, what=f"map {title}")
    body = as_bytes(exported, display.schema, fmt)
    _record(display, what, len(exported.nodes), relationships=len(exported.relationships), masked=exported.masked)
    return body
