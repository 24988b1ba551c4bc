"""`goldenbell ingest`: import batches of CSV, XLSX or JSON-lines files — a few files, or a
whole dataset named file by file with `--spec FILE=SPEC` or listed in a manifest."""

from __future__ import annotations

import json
import sys
import time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cli import attribution
from cli.common import fail, open_workspace
from graph.errors import GraphError
from workspace import Workspace

if TYPE_CHECKING:  # the importer (pandas, spaCy, DuckDB, the driver) loads when files are imported, not for --help
    from graph.gateway import Gateway
    from ingest.api import ImportReport
    from ingest.api import Progress as ImportProgress

console = Console(stderr=True, soft_wrap=True)


@click.command("ingest")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--spec",
    "spec_args",
    multiple=True,
    metavar="[FILE=]SPEC",
    help="Spec of every file: a spec's name (built-in or in GOLDENBELL_SPECS_DIR) or a spec file; or FILE=SPEC "
    "for one file, repeated for others (default: chosen per file by name and header).",
)
@click.option(
    "--manifest",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Dataset manifest instead of PATHS: a YAML list of {file: ..., spec: ...}, paths relative to it.",
)
@click.option(
    "--graph-files",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="A folder of graph files in neo4j-admin import layout (:ID, :START_ID, :END_ID, :TYPE headers) "
    "instead of PATHS: no specs, see docs/graph-files.md.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Read, validate and count; write nothing to the graph. References resolve against the graph and "
    "the batch's earlier files.",
)
@click.option(
    "--rejects",
    "rejects",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Reject file (default: $GOLDENBELL_HOME/rejects/<run>.csv).",
)
@click.option(
    "--batch-size",
    type=click.IntRange(1, 100_000),
    default=None,
    help="Rows per transaction (default: GOLDENBELL_BATCH_SIZE).",
)
@click.option(
    "--max-reject-rate",
    type=click.FloatRange(0, 1),
    default=None,
    help="Exit 3 when more than this share of rows is rejected (0.05 = 5%).",
)
@click.option("--force", is_flag=True, help="Re-import files already imported completely.")
@click.option(
    "--bulk",
    is_flag=True,
    help="First load of an empty local store through Neo4j's own importer (the server is stopped meanwhile): "
    "the same validation, rejects and provenance, with no transaction per batch. Passage files of the batch "
    "go to the event store, their seen-at and drove links with the rest of the graph.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON on stdout (no progress bars).")
def ingest(
    paths: tuple[Path, ...],
    spec_args: tuple[str, ...],
    manifest: Path | None,
    graph_files: Path | None,
    dry_run: bool,
    rejects: Path | None,
    batch_size: int | None,
    max_reject_rate: float | None,
    force: bool,
    bulk: bool,
    as_json: bool,
) -> None:
    """Import files into the graph; every row is loaded or written to the reject file with its reason.

    The files are imported in the order their specs' references need (shops before sales);
    a file named twice is imported once."""
    from graph.bulk_import import BulkImportError
    from graph.local_server import ServerError
    from ingest.api import import_files, new_run_id
    from ingest.batch import assign_specs
    from ingest.bulk.load import BulkLoadRefused
    from ingest.graph_files import graph_files as graph_files_in
    from ingest.graph_files import import_graph_files
    from ingest.manifest import load_manifest
    from ingest.readers import SourceError
    from ingest.spec import SpecError

    if graph_files is not None and (paths or manifest or spec_args):
        raise click.UsageError("--graph-files takes the whole folder: give no PATHS, --manifest or --spec with it")
    if bulk and (graph_files is not None or dry_run or force):
        raise click.UsageError("--bulk loads an empty store: it does not go with --graph-files, --dry-run or --force")
    bare, per_file = _spec_arguments(spec_args, paths, manifest or graph_files)
    with open_workspace() as workspace:
        run_id = new_run_id()
        rejects = rejects or workspace.settings.home.resolve() / "rejects" / f"{run_id}.csv"
        bar = _bar(quiet=as_json)
        named: dict = {"files": [p.name for p in paths], "spec": "; ".join(spec_args) or "(by file)"}
        if manifest is not None:
            named = {"manifest": str(manifest), "files": [], "spec": "(by manifest)"}
        if graph_files is not None:
            named = {"graph_files": str(graph_files), "files": [], "spec": "(derived from the headers)"}
        try:
            if bulk:
                files = load_manifest(manifest) if manifest is not None else assign_specs(paths, per_file, bare)
                named["files"] = [f.name or f.path.name for f in files]
                named["bulk"] = True
                load = partial(_bulk, workspace, files)
                gateway = None
            elif graph_files is not None:
                found = graph_files_in(graph_files)
                named["files"] = [path.name for path in found]
                load = partial(import_graph_files, found, work_dir=workspace.settings.home.resolve() / "work")
                gateway = _gateway(workspace, optional=dry_run)
            else:
                files = load_manifest(manifest) if manifest is not None else assign_specs(paths, per_file, bare)
                named["files"] = [f.name or f.path.name for f in files]
                load = partial(import_files, files)
                gateway = _gateway(workspace, optional=dry_run)
            with bar:
                report = load(
                    schema=workspace.schema,
                    gateway=gateway,
                    dry_run=dry_run,
                    rejects_path=rejects,
                    batch_size=batch_size or workspace.settings.batch_size,
                    force=force,
                    progress=_progress(bar),
                    run_id=run_id,
                    events=workspace.events,
                    specs_dir=workspace.settings.specs_dir,
                )
        except (SpecError, SourceError, GraphError, BulkLoadRefused, BulkImportError, ServerError) as exc:
            _audit(workspace, named, dry_run, outcome="error", message=str(exc))
            fail(str(exc))
            return
        _audit(
            workspace,
            named,
            dry_run,
            rows=report.rows_loaded,
            message=f"run {report.run_id}: read {report.rows_read}, rejected {report.rows_rejected}",
        )
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        _summary(report)
    rate = report.rows_rejected / report.rows_read if report.rows_read else 0.0
    if max_reject_rate is not None and rate > max_reject_rate:
        console.print(f"[red]rejected {rate:.1%} of rows, more than --max-reject-rate {max_reject_rate:.1%}[/]")
        sys.exit(3)


def _bulk(workspace: Workspace, files: list, *, gateway: None, dry_run: bool, force: bool, **given):
    """`goldenbell ingest --bulk`, called as the other loads are (`gateway`, `dry_run` and `force`
    do not apply). The workspace's own connection is closed first, since the server is stopped
    and started again under it."""
    from ingest.bulk.load import bulk_import_files

    workspace.close()

    began = time.monotonic()

    def step(what: str) -> None:
        # On stderr, as every console line here, with --json too: stdout holds the report alone.
        console.print(f"bulk load, {time.monotonic() - began:.0f} s: {what}", highlight=False)

    return bulk_import_files(files, settings=workspace.settings, step=step, **given)


def _spec_arguments(
    spec_args: tuple[str, ...], paths: tuple[Path, ...], listing: Path | None
) -> tuple[str | None, list[tuple[str, str]]]:
    """(the spec of every file, (file, spec) for single files) from the --spec options; a
    misuse is a usage error before anything is opened. `listing`: the manifest or the folder
    of graph files that names the files instead of PATHS."""
    if listing is not None and paths:
        raise click.UsageError("give the files either as PATHS or in --manifest, not both")
    if listing is None and not paths:
        raise click.UsageError(
            "name the files to import (PATHS), a dataset manifest (--manifest) or a folder of graph files "
            "(--graph-files)"
        )
    if listing is not None and spec_args:
        raise click.UsageError("--spec does not go with --manifest: the manifest gives each file's spec")
    bare = [s for s in spec_args if "=" not in s]
    per_file = [(s.split("=", 1)[0], s.split("=", 1)[1]) for s in spec_args if "=" in s]
    if len(bare) > 1:
        raise click.UsageError(
            f"--spec is given {len(bare)} times without FILE= ({', '.join(bare)}): give one spec for every "
            "file, or --spec FILE=SPEC for each file"
        )
    for file, spec in per_file:
        if not file.strip() or not spec.strip():
            raise click.UsageError(f"--spec {file}={spec}: give both the file and its spec, as --spec FILE=SPEC")
    return (bare[0] if bare else None), per_file


def _bar(*, quiet: bool) -> Progress:
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} rows/s"),
        TimeElapsedColumn(),
    )
    return Progress(*columns, console=console, disable=quiet or not console.is_terminal)


def _progress(bar: Progress):
    """A progress callback drawing one bar per file, with its rate."""
    tasks: dict[Path, int] = {}

    def on_progress(p: ImportProgress) -> None:
        if p.path not in tasks:
            tasks[p.path] = bar.add_task(p.path.name, total=p.rows_total, rate="-")
        task = bar.tasks[tasks[p.path]]
        rate = p.rows_done / task.elapsed if task.elapsed else 0
        bar.update(tasks[p.path], completed=p.rows_done, total=p.rows_total, rate=f"{rate:,.0f}")

    return on_progress


def _audit(workspace: Workspace, parameters: dict, dry_run: bool, **outcome) -> None:
    """Imports are recorded like every other act on the data, from the command line too."""
    action = "import.dry_run" if dry_run else "import"
    workspace.audit.append(attribution.operator().event(action, parameters=parameters, **outcome))


def _gateway(workspace: Workspace, *, optional: bool) -> Gateway | None:
    """A dry run checks references when a database answers, and works without one."""
    if optional and not workspace.database_configured:
        return None
    try:
        workspace.gateway.verify()
    except GraphError:
        if optional:
            console.print("no database answers: the dry run checks files without looking up references")
            return None
        raise
    return workspace.gateway


def _summary(report: ImportReport) -> None:
    verb = "would load" if report.dry_run else "loaded"
    for f in report.files:
        name = f.name or str(f.path)
        if f.skipped:
            console.print(f"{name}: skipped, {f.skipped}", highlight=False)
            continue
        resumed = f", resumed after row {f.resumed_after_row}" if f.resumed_after_row else ""
        resumed += f", {f.mentions} mentions linked" if f.mentions else ""
        reasons = ", ".join(f"{reason} {n}" for reason, n in sorted(f.reasons.items()))
        dropped = ", ".join(f"{reason} {n}" for reason, n in sorted(f.ledger.dropped_reasons.items()))
        console.print(
            f"{name} [{f.spec}, {f.encoding}]: read {f.rows_read}, {verb} {f.rows_loaded}, "
            f"rejected {f.rows_rejected}{' (' + reasons + ')' if reasons else ''}"
            f"{f'; values dropped {f.values_dropped} (' + dropped + ')' if dropped else ''}{resumed} "
            f"in {f.seconds:.1f} s",
            highlight=False,
        )
    dropped = f", values dropped {report.values_dropped}" if report.values_dropped else ""
    console.print(
        f"run {report.run_id}: read {report.rows_read}, {verb} {report.rows_loaded}, rejected {report.rows_rejected}"
        f"{dropped} in {report.seconds:.1f} s",
        highlight=False,
    )
    if report.rows_rejected or report.values_dropped:
        console.print(f"rejects: {report.rejects_path}", highlight=False)
