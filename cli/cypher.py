"""`goldenbell cypher "MATCH …"`: one read-only ad-hoc question, on the command line.

It is the workbench's Cypher console (queries/console.py) with a shell around it, so the
same rules hold: only a read passes the server's plan check, it runs in a read transaction
with the query timeout, the row cap and the result size cap, every attempt — refused or
not — is an audit entry (`console.run`) with the text, its parameters, the case and the
reason, and what comes back is masked as the acting role may see it. The actor is the
operating-system account (cli/attribution.py), like `query run`.
"""

from __future__ import annotations

import json
import sys

import click
from rich.console import Console
from rich.text import Text

from cli import attribution
from cli.common import fail, open_workspace, settings_or_fail, table
from cli.query import cell, outcome_note, outcome_payload, params_option, parse_params, user_option

console = Console(soft_wrap=True)


@click.command("cypher")
@click.argument("text", metavar="CYPHER")
@params_option
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON (columns, rows, nodes, relationships).")
@attribution.consultation_options("the query is run")
@user_option
@click.option("--row-cap", type=int, default=None, help="At most this many rows (never above GOLDENBELL_ROW_CAP).")
def cypher(
    text: str,
    params: tuple[str, ...],
    as_json: bool,
    case_ref: str,
    code: str,
    note: str,
    user: str | None,
    row_cap: int | None,
) -> None:
    """Run read-only Cypher (`-` reads it from standard input), for a case and a reason, recorded under your login.

    Parameter values are text ($n in the Cypher; toInteger($n) where a number is needed);
    a name given twice is a list. Anything but a read is refused before it runs (exit 1)."""
    from access.errors import AccessDenied
    from access.roles import sees_sensitive
    from access.visibility import Visibility
    from queries.console import CypherTooLong, run_console
    from queries.readonly import NotReadOnly

    if text == "-":
        text = sys.stdin.read()
    if not text.strip():
        fail("no Cypher given: write the query as the argument, or - to read it from standard input")
    values = parse_params(params)
    actor = attribution.consulting(settings_or_fail(), case_ref=case_ref, code=code, note=note, claimed=user)
    with open_workspace(AccessDenied, CypherTooLong) as workspace:
        try:
            outcome = run_console(workspace.runner, text, actor=actor, row_cap=row_cap, params=values)
        except NotReadOnly as exc:  # a syntax error, a missing parameter or a timeout ends in open_workspace
            fail(f"refused: {exc.reason}")
            return
        shown = Visibility(sees_sensitive(actor.role)).outcome(workspace.schema, outcome)
    _print(shown, as_json=as_json)


def _print(outcome, *, as_json: bool) -> None:
    note = outcome_note(outcome)
    if as_json:
        click.echo(json.dumps(outcome_payload(outcome), ensure_ascii=False, indent=1))
        return
    shown = table(*outcome.columns)
    for row in outcome.rows:
        shown.add_row(*(Text(cell(row[c])) for c in outcome.columns))  # data, never markup
    console.print(shown)
    click.echo(note, err=True)
