"""`goldenbell query …` and `goldenbell alerts …`."""

from __future__ import annotations

import csv
import getpass
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from access.audit.log import AuditLog
from cli.db import fail, settings_or_fail
from graph.errors import GraphError
from graph.gateway import Gateway
from graph.model import SchemaError, schema_for
from queries import alerts as alert_store
from queries.pack_model import Catalog, PackError, load_catalog
from queries.parameters import ParameterError
from queries.runner import QueryOutcome, QueryRefused, Runner
from queries.subgraph import plain

console = Console(soft_wrap=True)
FORMATS = ("table", "json", "csv")


def _catalog() -> Catalog:
    """The packs, checked without a server (enough to list and show them)."""
    settings = settings_or_fail()
    return load_catalog(schema_for(settings), extra_dir=settings.packs_dir)


@contextmanager
def _runner() -> Iterator[Runner]:
    """A runner over the configured database. The packs' text is checked here; each query's
    plan is checked on the server by the runner before it first runs (`query check` does all)."""
    settings = settings_or_fail()
    try:
        with Gateway.open(settings) as gateway:
            schema = schema_for(settings)
            catalog = load_catalog(schema, extra_dir=settings.packs_dir)
            yield Runner(gateway, catalog, schema, settings, AuditLog.from_settings(settings))
    except (GraphError, PackError, SchemaError, QueryRefused, ParameterError, alert_store.AlertError) as exc:
        fail(str(exc))


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


def _table(*columns: str, whole: tuple[str, ...] = ()) -> Table:
    """A table whose cells wrap rather than lose characters; `whole` columns never break."""
    table = Table(box=None)
    for column in columns:
        table.add_column(column, no_wrap=column in whole, overflow="fold")
    return table


_params_option = click.option(
    "-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="A parameter value; repeat for more."
)
_user_option = click.option("--user", default=getpass.getuser, show_default="login name", help="Who is asking.")


@click.group("query")
def query() -> None:
    """List, show and run saved Cypher queries (query packs)."""


@query.command("list")
@click.option("--pack", default=None, help="Only this pack.")
@click.option("--alerts", "only_alerts", is_flag=True, help="Only alert rules.")
def query_list(pack: str | None, only_alerts: bool) -> None:
    """List every saved query with its titles, what it returns and whether it is an alert rule."""
    try:
        catalog = _catalog()
    except (PackError, SchemaError) as exc:
        fail(str(exc))
        return
    table = _table("id", "标题", "title", "returns", "alert", whole=("id",))
    for q in catalog.queries.values():
        if (pack and q.pack != pack) or (only_alerts and not q.alert):
            continue
        table.add_row(q.id, q.names.zh, q.names.en, q.returns, "yes" if q.alert else "")
    console.print(table)


@query.command("show")
@click.argument("query_id")
def query_show(query_id: str) -> None:
    """Show a query's description, parameters and Cypher."""
    try:
        q = _catalog().query(query_id)
    except (PackError, SchemaError, KeyError) as exc:
        fail(exc.args[0] if isinstance(exc, KeyError) else str(exc))
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
@_user_option
@click.option("--case", "case_ref", default="", help="Case reference this consultation is for (recorded).")
@click.option("--reason", default="", help="Why the query is run (recorded).")
@click.option("--row-cap", type=int, default=None, help="At most this many rows (never above GOLDENBELL_ROW_CAP).")
@click.option("--timeout", type=float, default=None, help="Seconds before the query is stopped.")
def query_run(
    query_id: str,
    params: tuple[str, ...],
    fmt: str,
    user: str,
    case_ref: str,
    reason: str,
    row_cap: int | None,
    timeout: float | None,
) -> None:
    """Run a saved query with -p name=value parameters; the run is recorded in the audit log."""
    values = _parse_params(params)
    with _runner() as runner:
        outcome = runner.run(
            query_id, values, user=user, case_ref=case_ref, reason=reason, row_cap=row_cap, timeout=timeout
        )
    _print(outcome, fmt)


def _print(outcome: QueryOutcome, fmt: str) -> None:
    note = f"{len(outcome.rows)} rows in {outcome.elapsed_ms:.0f} ms" + (
        f"; truncated at the row cap of {outcome.row_cap}" if outcome.truncated else ""
    )
    if fmt == "json":
        payload = {
            "query_id": outcome.query_id,
            "params": outcome.params,
            "columns": outcome.columns,
            "rows": outcome.rows,
            "truncated": outcome.truncated,
            "row_cap": outcome.row_cap,
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
    table = _table(*outcome.columns)
    for row in outcome.rows:
        table.add_row(*(_cell(row[c]) for c in outcome.columns))
    console.print(table)
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
    settings = settings_or_fail()
    try:
        with Gateway.open(settings) as gateway:
            catalog = load_catalog(
                schema_for(settings),
                [Path(f) for f in files] if files else None,
                extra_dir=settings.packs_dir,
                gateway=gateway,
            )
    except (GraphError, PackError, SchemaError) as exc:
        fail(str(exc))
        return
    click.echo(f"{len(catalog.queries)} queries in {len(catalog.packs)} packs: all read-only, all valid.")


@click.group("alerts")
def alerts() -> None:
    """Run alert rules and review the alerts they raised."""


@alerts.command("run")
@click.option("--rule", default=None, help="Run only this alert rule (default: all).")
@_params_option
@_user_option
def alerts_run(rule: str | None, params: tuple[str, ...], user: str) -> None:
    """Run the alert rules and store their hits as alerts (the same facts never alert twice)."""
    values = _parse_params(params)
    if values and not rule:
        fail("-p needs --rule: parameters belong to one rule")
    with _runner() as runner:
        reports = alert_store.run_rules(runner, user=user, rule=rule, params=values)
    table = _table("rule", "hits", "new", "again", "ms", whole=("rule",))
    for r in reports:
        table.add_row(r.rule, str(r.hits), str(r.created), str(r.updated), f"{r.elapsed_ms:.0f}")
        if r.truncated:
            click.echo(f"warning: {r.rule} hit the row cap; raise GOLDENBELL_ROW_CAP or narrow it", err=True)
    console.print(table)


@alerts.command("list")
@click.option("--status", type=click.Choice(alert_store.STATUSES), default=None, help="Only alerts in this status.")
@click.option("--rule", default=None, help="Only alerts of this rule.")
@click.option("--limit", type=int, default=200, show_default=True, help="At most this many alerts.")
def alerts_list(status: str | None, rule: str | None, limit: int) -> None:
    """List alerts, most recently fired first."""
    settings = settings_or_fail()
    try:
        with Gateway.open(settings) as gateway:
            records = alert_store.list_alerts(gateway, status=status, rule=rule, limit=limit)
    except (GraphError, alert_store.AlertError) as exc:
        fail(str(exc))
        return
    schema = schema_for(settings)
    table = _table("alert", "rule", "status", "last fired", "times", "involves", "summary", whole=("alert",))
    for record in records:
        involved = ", ".join(f"{i['role']}={plain(i['node'], schema)}" for i in record["involved"] if i["node"])
        table.add_row(
            record["alert_id"],
            record["rule"],
            record["status"],
            str(plain(record["last_fired"], schema)),
            str(record["fire_count"]),
            involved,
            record["summary"] or "",
        )
    console.print(table)


def _set_status(alert_id: str, status: str, user: str, reason: str) -> None:
    settings = settings_or_fail()
    try:
        with Gateway.open(settings) as gateway:
            alert_store.set_status(
                gateway, AuditLog.from_settings(settings), alert_id, status, user=user, reason=reason
            )
    except (GraphError, alert_store.AlertError) as exc:
        fail(str(exc))
    click.echo(f"alert {alert_id}: {status}")


@alerts.command("ack")
@click.argument("alert_id")
@_user_option
@click.option("--reason", default="", help="Why (recorded).")
def alerts_ack(alert_id: str, user: str, reason: str) -> None:
    """Mark an alert acknowledged (someone is on it)."""
    _set_status(alert_id, "acknowledged", user, reason)


@alerts.command("close")
@click.argument("alert_id")
@_user_option
@click.option("--reason", default="", help="Why (recorded).")
def alerts_close(alert_id: str, user: str, reason: str) -> None:
    """Close an alert; later runs that find the same facts leave it closed."""
    _set_status(alert_id, "closed", user, reason)
