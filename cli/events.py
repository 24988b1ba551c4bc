"""`goldenbell events`: the event store of sensor passages (Parquet, read by DuckDB)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import click
from rich.console import Console
from rich.text import Text

from cli import attribution
from cli.common import fail, open_workspace, settings_or_fail, table
from events.lookup import Lookups
from graph.errors import GraphError
from ingest.api import new_run_id
from ingest.passages.run import PassageImportReport, graph_places, import_passages
from ingest.readers import SourceError
from ingest.spec import SpecError
from queries import event_rules
from queries.alerts import AlertError
from queries.event_alerts import run_event_alerts
from queries.event_connection import open_events
from queries.event_evidence import evidence_passages
from queries.event_rules import EventRuleError, UnknownRule
from queries.event_tables import declared_in, write_parquet

console = Console(stderr=True, soft_wrap=True)


@click.group("events")
def events() -> None:
    """The event store: checkpoint and gate passages as Parquet files under GOLDENBELL_HOME/events."""


@events.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--spec", "spec", default=None, help="checkpoint_passages or gate_passages (default: chosen per file).")
@click.option(
    "--rejects",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Reject file (default: $GOLDENBELL_HOME/rejects/<run>.csv).",
)
@click.option(
    "--lookups/--no-lookups",
    default=True,
    show_default=True,
    help="Copy the new passages into the lookup copies (by plate, by place) that answer one-plate questions.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON on stdout.")
def import_command(
    paths: tuple[Path, ...], spec: str | None, rejects: Path | None, lookups: bool, as_json: bool
) -> None:
    """Store passage files; every row is stored or written to the reject file with its reason.

    Places are checked against the graph's checkpoints and gates, so import those first
    with `goldenbell ingest`. A file already stored is skipped; a killed import is run again.
    With --no-lookups the lookup copies wait for `goldenbell events lookups` (or the next
    import); answers stay the same meanwhile, only slower for what is not copied."""
    with open_workspace() as workspace:
        run_id = new_run_id()
        rejects = rejects or workspace.settings.home.resolve() / "rejects" / f"{run_id}.csv"
        parameters = {"files": [p.name for p in paths], "spec": spec or "(by file)", "store": "events"}
        try:
            places = graph_places(workspace.gateway)
            report = import_passages(
                paths,
                schema=workspace.schema,
                store=workspace.events,
                known_places=places,
                rejects_path=rejects,
                spec=spec,
                run_id=run_id,
                gateway=workspace.gateway,
                lookups=lookups,
            )
        except (SpecError, SourceError, GraphError) as exc:
            workspace.audit.append(
                attribution.operator().event("import", parameters=parameters, outcome="error", message=str(exc))
            )
            fail(str(exc))
            return
        workspace.audit.append(
            attribution.operator().event(
                "import",
                parameters=parameters,
                rows=report.rows_loaded,
                message=f"run {report.run_id}: read {report.rows_read}, rejected {report.rows_rejected}",
            )
        )
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        _summary(report)


@events.command("lookups")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON on stdout.")
def lookups_command(as_json: bool) -> None:
    """Copy the stored passages the lookup copies do not cover yet (after `import --no-lookups`).

    The copies hold each passage again, bucketed and sorted by plate and by place, so a
    trajectory or companions question reads one plate's rows instead of every day's file."""
    with open_workspace() as workspace:
        made = Lookups(workspace.events).refresh()
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(made), indent=2))
        return
    how = "rewritten whole" if made.rewritten else "added as a new generation"
    console.print(
        f"{made.files} stored files ({made.rows:,} passages) {how if made.files else 'already copied'}"
        f" in {made.seconds:.1f} s",
        highlight=False,
    )


@events.command("tables")
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the files, one NAME.parquet a table.",
)
@click.option("--rule", "rule", default=None, help="Only the tables this event rule reads (default: every rule's).")
def tables_command(out: Path, rule: str | None) -> None:
    """Write the graph tables the event rules join with passages (licences, owners, watch
    lists…) as Parquet, for the rules on Spark: `queries/event_spark.py --table NAME=FILE`."""
    with open_workspace(UnknownRule, EventRuleError) as workspace:
        chosen = [event_rules.rule(rule)] if rule else event_rules.rules()
        written = write_parquet(workspace.gateway, declared_in(chosen), out)
    for path, rows in written:
        console.print(f"{path}: {rows:,} rows", highlight=False)
    if not written:
        console.print(f"{rule} reads no graph table", highlight=False)


@events.command("alerts")
@click.option("--rule", "rule", default=None, help="One event alert rule (default: all of them).")
@click.option(
    "--incremental",
    is_flag=True,
    help="Look only at the plates the files stored since each rule's last run concern, "
    "while the graph facts the rule reads are as they were then.",
)
@click.option(
    "--graph-changed",
    is_flag=True,
    help="The graph was written past goldenbell (cypher-shell, Neo4j Browser): read the rules' "
    "graph tables from it anew, and the rules that join them look at every passage.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON on stdout.")
def alerts_command(rule: str | None, incremental: bool, graph_changed: bool, as_json: bool) -> None:
    """Run the alert rules of the event store (cloned plates, co-travel, revoked licences,
    hazardous goods at night, wanted owners) on DuckDB and store their alerts, the same
    alerts `goldenbell alerts run` raises from passage nodes.

    Each run is the rule's watermark: with --incremental, a rule that ran before looks only
    at the plates with a passage stored since (and, for co-travel, the plates they met), if
    the graph facts it reads are unchanged since. The graph tables are kept in the event
    store while what they were read from is unchanged, as goldenbell's own writes tell."""
    with open_workspace(AlertError, UnknownRule) as workspace:
        if graph_changed and workspace.gateway.changes is not None:
            workspace.gateway.changes.everything_changed()
        # One rule reads only its own graph tables.
        con = open_events(workspace.events, workspace.gateway, [event_rules.rule(rule)] if rule else None)
        try:
            reports = run_event_alerts(
                con,
                workspace.gateway,
                workspace.schema,
                workspace.catalog,
                workspace.audit,
                attribution.operator(),
                store=workspace.events,
                rule=rule,
                incremental=incremental,
            )
        finally:
            con.close()
    if as_json:
        click.echo(json.dumps([dataclasses.asdict(r) for r in reports], ensure_ascii=False, indent=2))
        return
    for r in reports:
        console.print(
            f"{r.rule}: {r.hits} hits ({r.created} new, {r.updated} seen before) in {r.elapsed_ms:,.0f} ms, "
            f"looking at {'every passage' if r.scope == 'all' else 'the passages of ' + r.scope}",
            highlight=False,
        )


@events.command("evidence")
@click.argument("alert_id")
@attribution.consultation_options("the passages are read")
@click.option("--json", "as_json", is_flag=True, help="Print the passages as JSON on stdout.")
def evidence_command(alert_id: str, case_ref: str, code: str, note: str, as_json: bool) -> None:
    """The stored passages behind an alert raised by `goldenbell events alerts`, in time order:
    the two passages of each hop too fast for one car, or both cars' passages where they met.
    A consultation: it needs a case and a reason, and is recorded."""
    actor = attribution.consulting(settings_or_fail(), case_ref=case_ref, code=code, note=note)
    with open_workspace(AlertError) as workspace:
        rows = evidence_passages(workspace.gateway, workspace.events, workspace.audit, actor, alert_id)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    shown = table("time", "plate", "place", "direction", "lane", "driver", "passage", "file row", whole=("time",))
    for r in rows:
        cells = (
            r["time"].isoformat(sep=" "),
            r["plate"],
            r["place"],
            r["direction"] or "",
            "" if r["lane"] is None else str(r["lane"]),
            r["driver_id"] or "",
            r["passage_id"],
            f"{r['source_file'][:12]}…:{r['source_row']}",
        )
        shown.add_row(*map(Text, cells))  # as text: a value from a file is never markup
    Console(soft_wrap=True).print(shown)
    console.print(f"{len(rows)} passages", highlight=False)


def _summary(report: PassageImportReport) -> None:
    for f in report.files:
        if f.skipped:
            console.print(f"{f.path.name}: skipped, {f.skipped}", highlight=False)
            continue
        reasons = ", ".join(f"{reason} {n}" for reason, n in sorted(f.reasons.items()))
        rate = f.rows_read / f.seconds if f.seconds else 0
        console.print(
            f"{f.path.name} [{f.spec}]: read {f.rows_read}, stored {f.rows_loaded}, rejected {f.rows_rejected}"
            f"{' (' + reasons + ')' if reasons else ''} in {f.seconds:.1f} s ({rate:,.0f} rows/s)",
            highlight=False,
        )
    console.print(
        f"run {report.run_id}: read {report.rows_read}, stored {report.rows_loaded}, rejected {report.rows_rejected};"
        f" {report.seen_at} vehicle-place links (SEEN_AT) and {report.drove} driver links (DROVE) refreshed;"
        f" {report.lookup_files} files copied"
        f" into the lookup copies",
        highlight=False,
    )
    if report.rows_rejected:
        console.print(f"rejects: {report.rejects_path}", highlight=False)
