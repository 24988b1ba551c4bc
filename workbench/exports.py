"""Files the workbench hands out — maps, reports, tables — each recorded in the audit log.

Rows and maps come through `Display`, so a download shows exactly what the screen shows
for the investigator's role.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from typing import Any

from graph.audit import AuditEvent
from workbench import resources
from workbench.display import Display
from workbench.map_state import MapState
from workbench.report import map_html, report_html


def _record(display: Display, what: str, rows: int, **details: Any) -> None:
    resources.audit().append(
        AuditEvent(
            action="export",
            parameters={"what": what, **details},
            rows=rows,
            **display.investigator.audit_fields(),
        )
    )


def map_file(state: MapState, display: Display, shown: set[str] | None, *, title: str) -> str:
    html = map_html(state, display, shown, title=title)
    _record(display, "map.html", len(state.nodes))
    return html


def report_file(state: MapState, display: Display, *, title: str, notes: str, investigation_id: str | None) -> str:
    html = report_html(state, display, title=title, notes=notes)
    _record(display, "investigation.html", len(state.nodes), investigation_id=investigation_id or "")
    return html


def csv_file(rows: Iterable[Mapping[str, Any]], columns: list[str], display: Display, *, what: str) -> bytes:
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
    shown = display.rows(rows)
    _record(display, f"{what}.json", len(shown))
    return json.dumps(shown, ensure_ascii=False, indent=1).encode("utf-8")


def text_file(lines: Iterable[str], display: Display, *, what: str) -> bytes:
    """A text file (a reject report) with every line masked as free text."""
    shown = [display.text(line) for line in lines]
    _record(display, what, len(shown))
    return "".join(shown).encode("utf-8")
