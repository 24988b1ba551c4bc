"""The import page's work: keep uploads server-side under the user's own file names, preview
them, run the importer, say what a run left to do, audit it.

Each batch of uploads gets a private folder of its own, so the files keep the names the
user gave them: the specs match files by name, and every message and the reject file name
the file as the user knows it, never by a folder of the server. A run's reject file is
written under a name of its own and offered only once complete.

Once the event store holds passages, a batch of passage files goes to the store (as
`goldenbell events import`), where every reader of passages looks for them."""

from __future__ import annotations

import csv
import hashlib
import os
import re
import secrets
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from access import Permission
from access.actor import guard
from graph.model import Schema
from ingest.api import ImportReport, Progress, choose_spec, import_files, new_run_id
from ingest.passages.importer import is_passage_spec
from ingest.passages.run import PassageImportReport, graph_places, import_passages
from ingest.readers import open_source
from ingest.reject_reasons import Reason
from ingest.rejects import COLUMNS
from ingest.spec import MappingSpec, SpecError, builtin_specs, resolve_spec
from queries.passages import in_store
from settings.home import open_private, private_dir
from settings.table import Settings
from workbench.investigator import Investigator
from workspace import Workspace

PREVIEW_ROWS = 20
MAX_NAME_BYTES = 255  # what the file systems the server runs on allow for one name
_RUN_ID = re.compile(r"\brun-\d{8}T\d{6}-[0-9a-f]+")

Report = ImportReport | PassageImportReport


class UploadRefused(ValueError):
    """An upload that cannot be kept as it is; `code` names the fault for the page's words
    (`same_name`: two different files of one name; `bad_name`: no usable file name)."""

    def __init__(self, code: str, name: str):
        self.code, self.name = code, name
        super().__init__(f"{code}: {name}")


@dataclass
class Batch:
    """The files of one upload as kept on the server, each once."""

    paths: list[Path]
    repeated: dict[str, int] = field(default_factory=dict)  # name -> times uploaded with the same bytes


def upload_folder(settings: Settings) -> Path:
    """A fresh folder for one batch of uploads, under $GOLDENBELL_HOME/uploads."""
    folder = (settings.home / "uploads" / f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{secrets.token_hex(3)}").resolve()
    return private_dir(folder)


def upload_name(name: str) -> str:
    """The file's own name, as the user gave it, without any folder part; UploadRefused
    when nothing usable is left (a name that is only dots, holds control characters or is
    too long for a file system)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if (
        base in ("", ".", "..")
        or any(ord(c) < 32 or ord(c) == 127 for c in base)
        or len(base.encode("utf-8")) > MAX_NAME_BYTES
    ):
        raise UploadRefused("bad_name", name)
    return base


def store(folder: Path, name: str, data: bytes) -> Path:
    path = folder / upload_name(name)
    with open_private(path, "wb") as out:  # raw source rows: the owner's only
        out.write(data)
    return path


def keep_uploads(folder: Path, files: Iterable[tuple[str, bytes]]) -> Batch:
    """The uploaded (name, bytes) kept under their names in `folder`. A file uploaded twice
    (same name, same bytes) is kept once and counted in `repeated`; two different files of
    one name are refused (UploadRefused `same_name`) before anything is written."""
    digests: dict[str, str] = {}
    kept: list[tuple[str, bytes]] = []
    repeated: Counter = Counter()
    for given, data in files:
        name = upload_name(given)
        digest = hashlib.sha256(data).hexdigest()
        if name not in digests:
            digests[name] = digest
            kept.append((name, data))
        elif digests[name] == digest:
            repeated[name] += 1
        else:
            raise UploadRefused("same_name", name)
    paths = [store(folder, name, data) for name, data in kept]
    return Batch(paths, {name: n + 1 for name, n in repeated.items()})


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
    force: bool = False,
    progress: Callable[[Progress], None] | None = None,
) -> Report:
    """Import (or dry-run) the files; `force` imports again files already imported completely.
    The report's `rejects_path` is the run's own reject file, naming each file as uploaded,
    written in full before it is named there (None when nothing was rejected). Audited as
    `import` with the rows read, loaded and rejected."""
    audit = workspace.audit
    run_id = new_run_id()
    rejects = paths[0].parent / "rejects"
    partial, final = rejects / f"{run_id}.partial", rejects / f"{run_id}.csv"
    parameters: dict[str, Any] = {"files": [p.name for p in paths], "spec": spec or "", "dry_run": dry_run}
    if force:
        parameters["force"] = True
    guard(audit, investigator.actor, Permission.IMPORT, "import", parameters)
    investigator.actor.consulting()  # and a reason, as for any consultation
    try:
        if _to_the_store(workspace, paths, spec, dry_run=dry_run):
            report = import_passages(
                paths,
                schema=workspace.schema,
                store=workspace.events,
                known_places=graph_places(workspace.gateway),
                rejects_path=partial,
                spec=spec,
                run_id=run_id,
                gateway=workspace.gateway,
            )
        else:
            report = import_files(
                paths,
                schema=workspace.schema,
                gateway=workspace.gateway,
                spec=spec,
                dry_run=dry_run,
                rejects_path=partial,
                batch_size=workspace.settings.batch_size,
                force=force,
                user=investigator.user,
                progress=progress,
                run_id=run_id,
                events=workspace.events,
            )
        report.rejects_path = _by_file_name(partial, final)
    except Exception as exc:
        # Whatever stopped the import is recorded before it reaches the page.
        partial.unlink(missing_ok=True)
        audit.append(investigator.event("import", parameters=parameters, outcome="error", message=str(exc)))
        raise
    audit.append(investigator.event("import", parameters=parameters, rows=report.rows_loaded, message=_account(report)))
    return report


def _account(report: Report) -> str:
    """The audit message, as `goldenbell ingest` writes it, and the files skipped."""
    said = f"run {report.run_id}: read {report.rows_read}, rejected {report.rows_rejected}"
    skipped = [f.path.name for f in report.files if f.skipped]
    return said + (f"; skipped as already imported: {', '.join(skipped)}" if skipped else "")


def _by_file_name(partial: Path, final: Path) -> Path | None:
    """The reject file with each row's file named as uploaded, written beside and then put in
    place whole, so no reader ever sees it half-written; None when nothing was rejected."""
    if not partial.exists():
        return None
    column = COLUMNS.index("file")
    written = final.with_suffix(".writing")
    with (
        partial.open(encoding="utf-8-sig", newline="") as source,
        open_private(written, "w", encoding="utf-8-sig", newline="") as out,
    ):
        rows = csv.writer(out)
        for number, row in enumerate(csv.reader(source)):
            if number and len(row) > column:
                row[column] = Path(row[column]).name
            rows.writerow(row)
    os.replace(written, final)
    partial.unlink()
    return final


# --- what a run left to do ----------------------------------------------------------------


@dataclass(frozen=True)
class Skipped:
    """A file a run did not import; `forceable` when importing it again with force would."""

    name: str
    run_id: str
    in_store: bool
    why: str


def skipped(report: Report) -> list[Skipped]:
    found = []
    for f in report.files:
        if not f.skipped:
            continue
        run = _RUN_ID.search(f.skipped)
        found.append(
            Skipped(f.path.name, run.group(0) if run else "", isinstance(report, PassageImportReport), f.skipped)
        )
    return found


def reasons(report: Report) -> Counter:
    """Rows rejected per reason code over the whole run."""
    total: Counter = Counter()
    for f in report.files:
        total.update(f.reasons)
    return total


@dataclass(frozen=True)
class MissingReference:
    """Rows of a file rejected because an entity they refer to is not in the graph, with the
    labels they may refer to and the specs whose files bring such entities."""

    file: str
    rows: int
    labels: tuple[str, ...]
    providers: tuple[MappingSpec, ...]


def missing_references(report: Report, schema: Schema) -> list[MissingReference]:
    specs = builtin_specs(schema)
    found = []
    for f in report.files:
        rows = f.reasons.get(Reason.REFERENCE_MISSING.value, 0)
        if not rows:
            continue
        spec = specs.get(f.spec) or _spec_or_none(f.spec, schema)
        labels = _referred_labels(spec, _reject_columns(report.rejects_path, f.path.name)) if spec else ()
        providers = tuple(
            s
            for s in specs.values()
            if s.name != f.spec and any(e.mode == "merge" and e.label in labels for e in s.entities.values())
        )
        found.append(MissingReference(f.path.name, rows, labels, providers))
    return found


def _spec_or_none(name: str, schema: Schema) -> MappingSpec | None:
    try:
        return resolve_spec(name, schema)
    except SpecError:
        return None


def _referred_labels(spec: MappingSpec, columns: set[str]) -> tuple[str, ...]:
    """The labels a row of `spec` must find in the graph; where there are several, those of
    the reject file's columns (an entity's alias, or its key's column or headers)."""
    required = [e for e in spec.entities.values() if e.mode == "match" and not e.optional]
    if len(required) > 1 and columns:

        def named(entity) -> bool:
            keys = {entity.alias}
            for column in entity.key.source.columns:
                keys.add(column)
                keys.update(spec.columns[column].aliases if column in spec.columns else ())
            return bool(keys & columns)

        required = [e for e in required if named(e)] or required
    return tuple(dict.fromkeys(e.label for e in required))


def _reject_columns(rejects: Path | None, name: str) -> set[str]:
    """The columns named by the reject file's `reference.missing` rows of the file `name`."""
    if rejects is None or not rejects.exists():
        return set()
    with rejects.open(encoding="utf-8-sig", newline="") as f:
        return {
            r["column"]
            for r in csv.DictReader(f)
            if r.get("file") == name and r.get("reason") == Reason.REFERENCE_MISSING.value
        }
