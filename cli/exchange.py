"""`goldenbell export` and `goldenbell import-graph`: the graph out as GraphML, FollowTheMoney
entities or one CSV per label, and GraphML or FollowTheMoney files back in.

An export is a consultation: it names its case and reason, runs under the operating-system
account, and is masked as a role without the right to see ID numbers and phones would see it
when `--masked` is given (for a file that leaves the team). The exchange modules load inside
the commands, so `--help` stays quick.
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import click
from rich.console import Console

from cli import attribution
from cli.common import open_workspace, settings_or_fail
from cli.query import params_option, parse_params, run_errors, user_option

console = Console(stderr=True, soft_wrap=True)


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("graphml", "ftm", "csv")),
    required=True,
    help="GraphML, FollowTheMoney JSON lines, or one CSV per label (a folder, or a zip when OUT ends in .zip).",
)
@click.option("--query", "query_id", default=None, metavar="ID", help="Export the graph this saved query returns.")
@params_option
@click.option(
    "--investigation", "investigation_id", default=None, metavar="ID", help="Export an investigation's saved map."
)
@click.option(
    "--label", default=None, metavar="LABEL", help="Export every node of a label (with --via, its projection)."
)
@click.option(
    "--all", "whole", is_flag=True, help="Export the whole graph (not import runs, source files or investigations)."
)
@click.option("--via", default="", metavar="TYPE,…", help="With --label: the relationship types to follow from it.")
@click.option(
    "--out",
    type=click.Path(dir_okay=True, path_type=Path),
    required=True,
    help="The file (or folder) to write; never overwritten.",
)
@click.option("--masked", is_flag=True, help="Mask ID numbers and phones as for a role that may not see them.")
@attribution.consultation_options("the graph is exported")
@user_option
def export(
    fmt: str,
    query_id: str | None,
    params: tuple[str, ...],
    investigation_id: str | None,
    label: str | None,
    whole: bool,
    via: str,
    out: Path,
    masked: bool,
    case_ref: str,
    code: str,
    note: str,
    user: str | None,
) -> None:
    """Export a query's graph, an investigation or a label as GraphML, FollowTheMoney or CSV, for a case and a
    reason, recorded under your login; never over an existing file."""
    chosen = [
        name
        for name, given in (
            ("--query", query_id),
            ("--investigation", investigation_id),
            ("--label", label),
            ("--all", whole),
        )
        if given
    ]
    if len(chosen) != 1:
        raise click.UsageError("name one of --query ID, --investigation ID, --label LABEL or --all")
    if params and not query_id:
        raise click.UsageError("-p/--param goes with --query")
    if via and not label:
        raise click.UsageError("--via goes with --label")
    actor = attribution.consulting(settings_or_fail(), case_ref=case_ref, code=code, note=note, claimed=user)
    from access.errors import AccessDenied
    from access.visibility import Visibility
    from exchange import subgraph
    from exchange.exporting import export_graph

    with open_workspace(AccessDenied, subgraph.ExportRefused, *run_errors()) as workspace:
        schema = workspace.schema
        # A label or the whole graph is a bulk read: it may take as long as the server lets a transaction run.
        bulk = workspace.settings.tx_timeout
        if query_id:
            read = partial(subgraph.from_query, workspace.runner, query_id, parse_params(params), actor=actor)
            source = f"query {query_id}"
        elif investigation_id:
            read = partial(subgraph.from_investigation, workspace.gateway, schema, investigation_id)
            source = f"investigation {investigation_id}"
        elif whole:
            read = partial(subgraph.from_graph, workspace.gateway, schema, timeout=bulk)
            source = "the whole graph"
        else:
            types = [t for t in via.split(",") if t.strip()]
            read = partial(subgraph.from_label, workspace.gateway, schema, label, types, timeout=bulk)
            source = f"label {label}" + (f" via {via}" if via else "")
        report = export_graph(
            lambda visibility: read(visibility=visibility),
            fmt=fmt,
            out=out,
            schema=schema,
            audit=workspace.audit,
            actor=actor,
            source=source,
            visibility=Visibility(sees_all=False) if masked else None,
        )
    shown = " (masked: ID numbers and phones hidden; not for re-import)" if report.masked else ""
    console.print(
        f"{report.what}: {report.nodes} nodes and {report.relationships} relationships written to {report.out}{shown}",
        highlight=False,
        markup=False,
    )


@click.command("import-graph")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--rejects",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Reject file (default: $GOLDENBELL_HOME/rejects/<run>.csv).",
)
@click.option("--dry-run", is_flag=True, help="Read and check against the schema; write nothing to the graph.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON on stdout.")
def import_graph(file: Path, rejects: Path | None, dry_run: bool, as_json: bool) -> None:
    """Import a GraphML (.graphml) or FollowTheMoney (.json, .jsonl) file through the schema; rejected rows
    go to the reject file, and a masked export is refused."""
    from exchange.loading import import_graph as load
    from exchange.rows import UnreadableFile
    from ingest.api import new_run_id

    with open_workspace(UnreadableFile) as workspace:
        run_id = new_run_id()
        rejects = rejects or workspace.settings.home.resolve() / "rejects" / f"{run_id}.csv"
        report = load(
            file,
            schema=workspace.schema,
            gateway=None if dry_run else workspace.gateway,
            audit=workspace.audit,
            actor=attribution.operator(),
            rejects_path=rejects,
            dry_run=dry_run,
            batch_size=workspace.settings.batch_size,
            run_id=run_id,
        )
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return
    verb = "would load" if dry_run else "loaded"
    reasons = ", ".join(f"{reason} {n}" for reason, n in sorted(report.reasons.items()))
    console.print(
        f"{file.name} [{report.format}]: read {report.rows_read}, {verb} {report.nodes_loaded} nodes and "
        f"{report.links_loaded} relationships, rejected {report.rows_rejected}"
        + (f", {report.values_dropped} values left out" if report.values_dropped else "")
        + (f" ({reasons})" if reasons else "")
        + f" in {report.seconds:.1f} s",
        highlight=False,
        markup=False,
    )
    if report.rejects_path:
        console.print(f"rejects: {report.rejects_path}", highlight=False, markup=False)
