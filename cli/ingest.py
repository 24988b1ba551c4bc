"""`goldenbell ingest`: import batches of CSV, XLSX or JSON-lines files."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cli import attribution
from cli.common import fail, open_workspace
from graph.errors import GraphError
from graph.gateway import Gateway
from ingest.api import ImportReport, import_files, new_run_id
from ingest.api import Progress as ImportProgress
from ingest.readers import SourceError
from ingest.spec import SpecError
from workspace import Workspace

console = Console(stderr=True, soft_wrap=True)


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--spec", "spec", default=None, help="Built-in spec name or spec file (default: chosen per file).")
@click.option("--dry-run", is_flag=True, help="Read, validate and count; write nothing to the graph.")
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
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON on stdout (no progress bars).")
def ingest(
    paths: tuple[Path, ...],
    spec: str | None,
    dry_run: bool,
    rejects: Path | None,
    batch_size: int | None,
    max_reject_rate: float | None,
    force: bool,
    as_json: bool,
) -> None:
    """Import files into the graph; every row is loaded or written to the reject file with its reason."""
    with open_workspace() as workspace:
        run_id = new_run_id()
        rejects = rejects or workspace.settings.home.resolve() / "rejects" / f"{run_id}.csv"
        bar = _bar(quiet=as_json)
        try:
            gateway = _gateway(workspace, optional=dry_run)
            with bar:
                report = import_files(
                    paths,
                    schema=workspace.schema,
                    gateway=gateway,
                    spec=spec,
                    dry_run=dry_run,
                    rejects_path=rejects,
                    batch_size=batch_size or workspace.settings.batch_size,
                    force=force,
                    progress=_progress(bar),
                    run_id=run_id,
                    events=workspace.events,
                )
        except (SpecError, SourceError, GraphError) as exc:
            _audit(workspace, paths, spec, dry_run, outcome="error", message=str(exc))
            fail(str(exc))
            return
        _audit(
            workspace,
            paths,
            spec,
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


def _audit(workspace: Workspace, paths, spec, dry_run: bool, **outcome) -> None:
    """Imports are recorded like every other act on the data, from the command line too."""
    action = "import.dry_run" if dry_run else "import"
    parameters = {"files": [p.name for p in paths], "spec": spec or "(by file)"}
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
        if f.skipped:
            console.print(f"{f.path.name}: skipped, {f.skipped}", highlight=False)
            continue
        resumed = f", resumed after row {f.resumed_after_row}" if f.resumed_after_row else ""
        resumed += f", {f.mentions} mentions linked" if f.mentions else ""
        reasons = ", ".join(f"{reason} {n}" for reason, n in sorted(f.reasons.items()))
        console.print(
            f"{f.path.name} [{f.spec}, {f.encoding}]: read {f.rows_read}, {verb} {f.rows_loaded}, "
            f"rejected {f.rows_rejected}{' (' + reasons + ')' if reasons else ''}{resumed} "
            f"in {f.seconds:.1f} s",
            highlight=False,
        )
    console.print(
        f"run {report.run_id}: read {report.rows_read}, {verb} {report.rows_loaded}, rejected {report.rows_rejected}"
        f" in {report.seconds:.1f} s",
        highlight=False,
    )
    if report.rows_rejected:
        console.print(f"rejects: {report.rejects_path}", highlight=False)
