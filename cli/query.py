"""`goldenbell query …`: list, show, check and run saved queries.

Listing and showing need neither the database nor its driver, so they import nothing
that needs them: the runner and its libraries load inside the commands that run.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.text import Text

from cli import attribution
from cli.common import errors, fail, open_workspace, settings_or_fail, table
from queries.pack_model import Catalog, PackError, load_catalog

if TYPE_CHECKING:
    from queries.runner import QueryOutcome

console = Console(soft_wrap=True)
FORMATS = ("table", "json", "csv")
# `query list` and `query check` when some pack file or query did not load (the rest are listed).
EXIT_NOT_ALL_LOADED = 2


def run_errors() -> tuple[type[Exception], ...]:
    """What running a query or an alert rule may refuse: the command ends with the reason."""
    from queries.alerts import AlertError
    from queries.parameters import ParameterError
    from queries.runner import QueryRefused

    return (QueryRefused, ParameterError, AlertError)


def parse_params(pairs: tuple[str, ...]) -> dict[str, Any]:
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


params_option = click.option(
    "-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="A parameter value; repeat for more."
)
user_option = click.option("--user", default=None, metavar="NAME", help=attribution.CLAIMED_HELP)


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
        profile = workspace.schema.profile
    listed = table("id", "标题", "title", "returns", "alert", whole=("id",))
    for q in catalog.queries.values():
        if (pack and q.pack != pack) or (only_alerts and not q.alert):
            continue
        listed.add_row(*map(Text, (q.id, q.names.zh, q.names.en, q.returns, "yes" if q.alert else "")))
    console.print(listed)
    if catalog.other_profiles:
        names = ", ".join(catalog.other_profiles)
        console.print(Text(f"written for other schema profiles, not loaded under {profile}: {names}"))
    report_faults(catalog)


def report_faults(catalog: Catalog) -> None:
    """What did not load, one row per fault on stderr, then exit 2; nothing when all loaded."""
    if not catalog.faults:
        return
    errors.print(Text(f"did not load ({len(catalog.faults)}):"))
    errors.print(faults_table(catalog.faults))
    fail(
        f"{_did_not_load(catalog.faults)}; {len(catalog.queries)} queries loaded",
        code=EXIT_NOT_ALL_LOADED,
    )


def faults_table(faults: Sequence[PackError]) -> Any:
    shown = table("file", "line", "query", "reason", whole=("line",))
    for fault in faults:
        # Text cells: a reason quoting YAML or Cypher ([…]) is shown as written, never read as markup.
        shown.add_row(*map(Text, (str(fault.path), str(fault.line or ""), fault.query_id or "—", fault.reason)))
    return shown


def _did_not_load(faults: Sequence[PackError]) -> str:
    queries = sum(1 for fault in faults if fault.query_id)
    files = len({fault.path for fault in faults if not fault.query_id})
    parts = [f"{queries} quer{'y' if queries == 1 else 'ies'}"] if queries else []
    parts += [f"{files} pack file{'' if files == 1 else 's'}"] if files else []
    return " and ".join(parts) + " did not load"


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
@params_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True, help="Output format.")
@attribution.consultation_options("the query is run")
@user_option
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
    values = parse_params(params)
    actor = attribution.consulting(settings_or_fail(), case_ref=case_ref, code=code, note=note, claimed=user)
    # Each query's plan is checked on the server before it first runs (`query check` checks all).
    with open_workspace(*run_errors()) as workspace:
        outcome = workspace.runner.run(query_id, values, actor=actor, row_cap=row_cap, timeout=timeout)
    _print(outcome, fmt)


def outcome_note(outcome) -> str:
    """How many rows came back, how fast, and whether a cap cut them (a query's or the console's)."""
    note = f"{len(outcome.rows)} rows in {outcome.elapsed_ms:.0f} ms"
    if outcome.over_bytes:
        note += f"; cut off at the result size cap of {outcome.byte_cap:,} bytes (GOLDENBELL_RESULT_MAX_BYTES)"
    elif outcome.truncated:
        note += f"; truncated at the row cap of {outcome.row_cap}"
    return note


def outcome_payload(outcome) -> dict[str, Any]:
    """A result as --json prints it: its columns, rows, caps and graph."""
    return {
        "columns": outcome.columns,
        "rows": outcome.rows,
        "truncated": outcome.truncated,
        "row_cap": outcome.row_cap,
        "over_bytes": outcome.over_bytes,
        "nodes": outcome.nodes,
        "relationships": outcome.relationships,
    }


def _print(outcome: QueryOutcome, fmt: str) -> None:
    note = outcome_note(outcome)
    if fmt == "json":
        payload = {"query_id": outcome.query_id, "params": outcome.params, **outcome_payload(outcome)}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=1))
        return
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(outcome.columns)
        for row in outcome.rows:
            writer.writerow([cell(row[c]) for c in outcome.columns])
        click.echo(note, err=True)
        return
    shown = table(*outcome.columns)
    for row in outcome.rows:
        shown.add_row(*(Text(cell(row[c])) for c in outcome.columns))  # data, never markup
    console.print(shown)
    click.echo(note, err=True)


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


@query.command("check")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
def query_check(files: tuple[str, ...]) -> None:
    """Check packs on the server (parameters, labels, read-only plan); with FILES, only those; lists every fault."""
    with open_workspace() as workspace:
        catalog = load_catalog(
            workspace.schema,
            [Path(f) for f in files] if files else None,
            extra_dir=workspace.settings.packs_dir,
            gateway=workspace.gateway,
            strict=False,
        )
    if catalog.faults:
        click.echo(f"{len(catalog.queries)} queries in {len(catalog.packs)} packs passed.")
        report_faults(catalog)
    click.echo(f"{len(catalog.queries)} queries in {len(catalog.packs)} packs: all read-only, all valid.")
