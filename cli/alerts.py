"""`goldenbell alerts …`: run the alert rules and work the alerts they raised."""

from __future__ import annotations

from functools import partial

import click
from rich.console import Console

from cli import attribution
from cli.common import errors, fail, open_workspace, table
from cli.query import params_option, parse_params, run_errors, user_option
from queries import alerts as alert_store
from queries.event_alerts import stored_alerts
from queries.subgraph import plain

console = Console(soft_wrap=True)


@click.group("alerts")
def alerts() -> None:
    """Run alert rules and review the alerts they raised."""


@alerts.command("run")
@click.option("--rule", default=None, help="Run only this alert rule (default: all).")
@params_option
@user_option
def alerts_run(rule: str | None, params: tuple[str, ...], user: str | None) -> None:
    """Run the alert rules and store their hits as alerts (never twice); a job, it needs no case."""
    values = parse_params(params)
    if values and not rule:
        fail("-p needs --rule: parameters belong to one rule")
    with open_workspace(*run_errors()) as workspace:
        actor = attribution.operator(user)
        if workspace.catalog.faults:
            errors.print(
                f"warning: {len(workspace.catalog.faults)} pack fault(s): what did not load does not run "
                "(see goldenbell query list)",
                highlight=False,
                markup=False,
            )
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
    @user_option
    @click.option("--reason", default="", help="Why (recorded).")
    def command(alert_id: str, user: str | None, reason: str) -> None:
        with open_workspace(alert_store.AlertError) as workspace:
            alert_store.set_status(
                workspace.gateway, workspace.audit, alert_id, status, attribution.operator(user, reason)
            )
        click.echo(f"alert {alert_id}: {status}")


_status_command("ack", "acknowledged", "Mark an alert acknowledged (someone is on it).")
_status_command("close", "closed", "Close an alert; later runs that find the same facts leave it closed.")
