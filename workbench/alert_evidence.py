"""The passages behind an alert raised on the event store, as the inbox lists them: read
back from the store when asked (a recorded consultation), newest last, in Beijing time,
with the captured driver's ID masked for a role without the right to see it."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

import duckdb
import pandas as pd

from access.errors import AccessError
from graph.errors import GraphError
from queries.alerts import AlertError
from queries.event_evidence import evidence_passages
from workbench.display import Display
from workbench.geo_route import local
from workbench.investigator import Investigator
from workbench.messages import message
from workspace import Workspace

COLUMNS = ("time", "plate", "place", "direction", "lane", "driver_id", "source")


class EvidenceUnread(Exception):
    """The passages could not be read; the message says why, for the page to show."""


def evidence_rows(workspace: Workspace, investigator: Investigator, alert_id: str) -> list[dict[str, Any]]:
    """The alert's passages as the table shows them (column keys of COLUMNS)."""
    try:
        found = evidence_passages(workspace.gateway, workspace.events, workspace.audit, investigator.actor, alert_id)
    except (AlertError, AccessError, GraphError, duckdb.Error) as exc:
        raise EvidenceUnread(str(exc)) from exc
    # The store names a file by its hash; its receipt keeps the name it was imported under.
    names = {receipt.sha256: PurePath(receipt.file).name for receipt in workspace.events.receipts()}
    return [
        {
            "time": local(row["time"]).strftime("%Y-%m-%d %H:%M:%S"),
            "plate": row["plate"],
            "place": row["place"],
            "direction": row["direction"] or "",
            "lane": "" if row["lane"] is None else str(row["lane"]),
            "driver_id": row["driver_id"] or "",
            # The file's name and row, not the server's path to it.
            "source": f"{names.get(row['source_file'], row['source_file'])}:{row['source_row']}",
        }
        for row in found
    ]


def evidence_table(rows: list[dict[str, Any]], display: Display, lang: str) -> pd.DataFrame:
    """Headers in `lang`; free text (a place's name may quote a phone) masked by pattern."""
    shown = [
        {message(f"alerts.evidence.{column}", lang): display.text(row[column]) for column in COLUMNS} for row in rows
    ]
    return pd.DataFrame(shown, columns=[message(f"alerts.evidence.{column}", lang) for column in COLUMNS])
