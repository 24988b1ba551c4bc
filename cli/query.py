"""`goldenbell query …` and `goldenbell alerts …`."""

from __future__ import annotations

import csv
import json
import sys
from functools import partial
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from cli import attribution
from cli.common import fail, open_workspace, settings_or_fail, table
from queries import alerts as alert_store
from queries.event_alerts import stored_alerts
from queries.pack_model import load_catalog
from queries.parameters import ParameterError
from queries.runner import QueryOutcome, QueryRefused
from queries.subgraph import plain

console = Console(soft_wrap=True)
FORMATS = ("table", "json", "csv")
# What running a query or an alert rule may refuse: the command ends with the reason.
RUN_ERRORS = (QueryRefused, ParameterError, alert_store.AlertError)


def _parse_params(pairs: tuple[str, ...]) -> dict[str, Any]:
    """`-p name=value`, repeatable; a name given twice collects its values into a list."""
    params: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            fail(f"-p {pair!r}: write parameters as name=value")
        name = name.strip()
        if name in params:
            previous = params[name]
            params[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            params[name] = value
    return params


_params_option = click.option(
    "-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="A parameter value; repeat for more."
)
_user_option = click.option("--user", default=None, metavar="NAME", help=attribution.CLAIMED_HELP)


@click.group("query")
def query() -> None:
    """List, show and run saved Cypher queries (query packs)."""


@query.command("list")
@click.option("--pack", default=None, help="Only this pack.")
@click.option("--alerts", "only_alerts", is_flag=True, help="Only alert rules.")
def query_list(pack: str | None, only_alerts: bool) -> None:
    """List every saved query with its titles, what it returns and whether it is an alert rule."""
    with open_workspace() as workspace:  # the packs, checked without a server
        catalog = workspace.catalog
    listed = table("id", "标题", "title", "returns", "alert", whole=("id",))
    for q in catalog.queries.values():
        if (pack and q.pack != pack) or (only_alerts and not q.alert):
            continue
        listed.add_row(q.id, q.names.zh, q.names.en, q.returns, "yes" if q.alert else "")
    console.print(listed)


@query.command("show")
@click.argument("query_id")
def query_show(query_id: str) -> None:
    """Show a query's description, parameters and Cypher."""
    with open_workspace() as workspace:
        catalog = workspace.catalog
    try:
        q = catalog.query(query_id)
    except KeyError as exc:
        fail(exc.args[0])
        return
    out = [f"{q.id}  {q.names.zh} / {q.names.en}", f"pack file: {q.path}"]
    out += [f"returns: {q.returns}" + ("; alert rule" if q.alert else ""), "", q.description.zh, q.description.en, ""]
    out.append("parameters:" if q.parameters else "parameters: none")
    for p in q.parameters.values():
        out.append(f"  {p.name}: {p.describe()} — {p.names.zh} / {p.names.en}")
    out += ["", q.cypher]
    click.echo("\n".join(out))


@query.command("run")
@click.argument("query_id")
@_params_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True, help="Output format.")
@attribution.consultation_options("the query is run")
@_user_option
@click.option("--row-cap", type=int, default=None, help="At most this many rows (never above GOLDENBELL_ROW_CAP).")
@click.option("--timeout", type=float, default=None, help="Seconds before the query is stopped.")
def query_run(
    query_id: str,
    params: tuple[str, ...],
    fmt: str,
    case_ref: str,
    code: str,
    note: str,
    user: str | None,
    row_cap: int | None,
    timeout: float | None,
) -> None:
    """Run a saved query with -p name=value parameters, for a case and a reason, recorded under your login."""
    values = _parse_params(params)
    actor = attribution.consulting(settings_or_fail(), case_ref=case_ref, code=code, note=note, claimed=user)
    # Each query's plan is checked on the server before it first runs (`query check` checks all).
    with open_workspace(*RUN_ERRORS) as workspace:
        outcome = workspace.runner.run(query_id, values, actor=actor, row_cap=row_cap, timeout=timeout)
    _print(outcome, fmt)


def _print(outcome: QueryOutcome, fmt: str) -> None:
    note = f"{len(outcome.rows)} rows in {outcome.elapsed_ms:.0f} ms"
    if outcome.over_bytes:
        note += f"; cut off at the result size cap of {outcome.byte_cap:,} bytes (GOLDENBELL_RESULT_MAX_BYTES)"
    elif outcome.truncated:
        note += f"; truncated at the row cap of {outcome.row_cap}"
    if fmt == "json":
        payload = {
            "query_id": outcome.query_id,
            "params": outcome.params,
            "columns": outcome.columns,
            "rows": outcome.rows,
            "truncated": outcome.truncated,
            "row_cap": outcome.row_cap,
            "over_bytes": outcome.over_bytes,
            "nodes": outcome.nodes,
            "relationships": outcome.relationships,
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=1))
        return
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(outcome.columns)
        for row in outcome.rows:
            writer.writerow([_cell(row[c]) for c in outcome.columns])
        click.echo(note, err=True)
        return
    shown = table(*outcome.columns)
    for row in outcome.rows:
        shown.add_row(*(_cell(row[c]) for c in outcome.columns))
    console.print(shown)
    click.echo(note, err=True)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


@query.command("check")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
def query_check(files: tuple[str, ...]) -> None:
    """Check packs on the server (parameters, labels, read-only plan); with FILES, only those."""
    with open_workspace() as workspace:
        catalog = load_catalog(
            workspace.schema,
            [Path(f) for f in files] if files else None,
            extra_dir=workspace.settings.packs_dir,
            gateway=workspace.gateway,
        )
    click.echo(f"{len(catalog.queries)} queries in {len(catalog.packs)} packs: all read-only, all valid.")


@click.group("alerts")
def alerts() -> None:
    """Run alert rules and review the alerts they raised."""


@alerts.command("run")
@click.option("--rule", default=None, help="Run only this alert rule (default: all).")
@_params_option
@_user_option
def alerts_run(rule: str | None, params: tuple[str, ...], user: str | None) -> None:
    """Run the alert rules and store their hits as alerts (never twice); a job, it needs no case."""
    values = _parse_params(params)
    if values and not rule:
        fail("-p needs --rule: parameters belong to one rule")
    with open_workspace(*RUN_ERRORS) as workspace:
        actor = attribution.operator(user)
        # Passage rules run on the event store once it holds the passages, storing the same alerts.
        parts = (workspace.events, workspace.gateway, workspace.schema, workspace.catalog, workspace.audit)
        on_store = partial(stored_alerts, *parts, actor)
        reports = alert_store.run_rules(workspace.runner, actor, rule=rule, params=values, on_store=on_store)
    shown = table("rule", "hits", "new", "again", "ms", whole=("rule",))
    for r in reports:
        shown.add_row(r.rule, str(r.hits), str(r.created), str(r.updated), f"{r.elapsed_ms:.0f}")
        if r.truncated:
            click.echo(f"warning: {r.rule} hit the row cap; raise GOLDENBELL_ROW_CAP or narrow it", err=True)
    console.print(shown)


@alerts.command("list")
@click.option("--status", type=click.Choice(alert_store.STATUSES), default=None, help="Only alerts in this status.")
@click.option("--rule", default=None, help="Only alerts of this rule.")
@click.option("--limit", type=int, default=200, show_default=True, help="At most this many alerts.")
def alerts_list(status: str | None, rule: str | None, limit: int) -> None:
    """List alerts, most recently fired first."""
    with open_workspace(alert_store.AlertError) as workspace:
        records = alert_store.list_alerts(workspace.gateway, status=status, rule=rule, limit=limit)
        schema = workspace.schema
    shown = table(
        "alert",
        "rule",
        "severity",
        "status",
        "assignee",
        "last fired",
        "times",
        "involves",
        "summary",
        whole=("alert",),
    )
    for record in records:
        involved = ", ".join(f"{i['role']}={plain(i['node'], schema)}" for i in record["involved"] if i["node"])
        shown.add_row(
            record["alert_id"],
            record["rule"],
            record["severity"] or "",
            record["status"],
            record["assignee"] or "",
            str(plain(record["last_fired"], schema)),
            str(record["fire_count"]),
            involved,
            record["summary"] or "",
        )
    console.print(shown)


def _status_command(name: str, status: str, help: str) -> None:
    """`alerts ack` and `alerts close`: the same command, setting a different status."""

    @alerts.command(name, help=help)
    @click.argument("alert_id")
    @_user_option
    @click.option("--reason", default="", help="Why (recorded).")
    def command(alert_id: str, user: str | None, reason: str) -> None:
        with open_workspace(alert_store.AlertError) as workspace:
            alert_store.set_status(
                workspace.gateway, workspace.audit, alert_id, status, attribution.operator(user, reason)
            )
        click.echo(f"alert {alert_id}: {status}")


_status_command("ack", "acknowledged", "Mark an alert acknowledged (someone is on it).")
_status_command("close", "closed", "Close an alert; later runs that find the same facts leave it closed.")
