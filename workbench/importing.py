"""The import page's work: keep uploads server-side, preview them, run the importer, audit it.

Once the event store holds passages, a batch of passage files goes to the store (as
`goldenbell events import`), where every reader of passages looks for them."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from access import Permission
from access.actor import guard
from ingest.api import ImportReport, Progress, choose_spec, import_files
from ingest.passages.importer import is_passage_spec
from ingest.passages.run import PassageImportReport, graph_places, import_passages
from ingest.readers import open_source
from ingest.spec import SpecError
from queries.passages import in_store
from settings.home import open_private, private_dir
from settings.table import Settings
from workbench.investigator import Investigator
from workspace import Workspace

PREVIEW_ROWS = 20
_UNSAFE = re.compile(r"[^\w.\-\u4e00-\u9fff]+")


def upload_folder(settings: Settings) -> Path:
    """A fresh folder for one batch of uploads, under $GOLDENBELL_HOME/uploads."""
    folder = (settings.home / "uploads" / f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{secrets.token_hex(3)}").resolve()
    return private_dir(folder)


def safe_name(name: str) -> str:
    """The file's own name without any folder part, reduced to safe characters (specs match by name)."""
    base = Path(name.replace("\\", "/")).name
    cleaned = _UNSAFE.sub("_", base).lstrip(".")
    return cleaned or "upload"


def store(folder: Path, name: str, data: bytes) -> Path:
    path = folder / safe_name(name)
    with open_private(path, "wb") as out:  # raw source rows: the owner's only
        out.write(data)
    return path


def preview(path: Path, rows: int = PREVIEW_ROWS) -> tuple[list[str], list[dict[str, Any]]]:
    source = open_source(path)
    return list(source.header), [dict(row.values) for row in islice(source.rows(), rows)]


def _to_the_store(workspace: Workspace, paths: list[Path], spec: str | None, *, dry_run: bool) -> bool:
    """Whether the batch is passage files for the event store. SpecError for a batch that
    mixes them with other files, or a dry run of them (the store checks as it stores: a
    file is stored whole or not at all, each bad row rejected with its reason)."""
    if not in_store(workspace.events):
        return False
    passages = [p for p in paths if is_passage_spec(choose_spec(p, open_source(p), workspace.schema, spec))]
    if not passages:
        return False
    if len(passages) < len(paths):
        names = ", ".join(p.name for p in passages)
        raise SpecError(passages[0], 0, f"import the passage files ({names}) on their own: they go to the event store")
    if dry_run:
        raise SpecError(
            passages[0], 0, "passages go to the event store, which has no dry run: import them, bad rows are rejected"
        )
    return True


def run_import(
    workspace: Workspace,
    paths: list[Path],
    investigator: Investigator,
    *,
    spec: str | None,
    dry_run: bool,
    progress: Callable[[Progress], None] | None = None,
) -> ImportReport | PassageImportReport:
    """Import (or dry-run) the files; rejects go to a file beside them. Audited as `import`."""
    audit = workspace.audit
    rejects = paths[0].parent / "rejects.csv"
    parameters = {"files": [p.name for p in paths], "spec": spec or "", "dry_run": dry_run}
    guard(audit, investigator.actor, Permission.IMPORT, "import", parameters)
    investigator.actor.consulting()  # and a reason, as for any consultation
    try:
        if _to_the_store(workspace, paths, spec, dry_run=dry_run):
            report = import_passages(
                paths,
                schema=workspace.schema,
                store=workspace.events,
                known_places=graph_places(workspace.gateway),
                rejects_path=rejects,
                spec=spec,
                gateway=workspace.gateway,
            )
        else:
            report = import_files(
                paths,
                schema=workspace.schema,
                gateway=workspace.gateway,
                spec=spec,
                dry_run=dry_run,
                rejects_path=rejects,
                batch_size=workspace.settings.batch_size,
                user=investigator.user,
                progress=progress,
                events=workspace.events,
            )
    except Exception as exc:
        # Whatever stopped the import is recorded before it reaches the page.
        audit.append(investigator.event("import", parameters=parameters, outcome="error", message=str(exc)))
        raise
    audit.append(
        investigator.event("import", parameters=parameters, rows=report.rows_loaded, message=f"run {report.run_id}")
    )
    return report
