"""`goldenbell analyse`: degree, betweenness, PageRank, triangles, communities or connected
components over a label's projection or the graph a saved query returns, as a table or JSON,
for a case and a reason, recorded in the audit log like `query run`.

The measures are queries/analyses.py's; the projection is queries/projection.py's; a saved
query runs through the runner with the analysis as its `post:`. What needs the driver or
igraph is imported when the command runs, not when the command line starts.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console

from cli import attribution
from cli.common import open_workspace, settings_or_fail, table
from cli.query import parse_params, run_errors, user_option
from queries.analyses import ANALYSES, MAX_TOP, AnalysisRefused, Post

if TYPE_CHECKING:
    from access.actor import Actor

console = Console(soft_wrap=True)
# A node's reference and caption may be an ID number or a phone: masked as text for a role without the right.
SENSITIVE = {"node": "text", "caption": "text"}


@click.command("analyse")
@click.argument("measure", type=click.Choice(ANALYSES))
@click.option("--label", default=None, metavar="LABEL", help="Analyse this label's projection (a label of the schema).")
@click.option(
    "--via",
    default="",
    metavar="TYPE,TYPE",
    help="With --label: the relationship types to follow from it (types of the schema that start or end there).",
)
@click.option(
    "--query", "query_id", default=None, metavar="QUERY_ID", help="Analyse the graph this saved query returns."
)
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="With --query: a parameter value; repeat for more.",
)
@click.option(
    "--top",
    type=click.IntRange(1, MAX_TOP),
    default=None,
    help="Only the N highest nodes (for communities and components: the N largest groups).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the rows and the totals as JSON.")
@attribution.consultation_options("the analysis is run")
@user_option
def analyse(
    measure: str,
    label: str | None,
    via: str,
    query_id: str | None,
    params: tuple[str, ...],
    top: int | None,
    as_json: bool,
    case_ref: str,
    code: str,
    note: str,
    user: str | None,
) -> None:
    """Measure a label's projection (--label L --via T,T) or a saved query's graph (--query ID -p k=v),
    for a case and a reason, recorded under your login; a graph over the analysis caps is refused."""
    if (label is None) == (query_id is None):
        raise click.UsageError("give either --label LABEL --via TYPE,TYPE or --query QUERY_ID")
    if label is not None and params:
        raise click.UsageError("-p belongs to --query: a projection takes --via, not parameters")
    if query_id is not None and via:
        raise click.UsageError("--via belongs to --label: a saved query's graph is what it returns")
    actor = attribution.consulting(settings_or_fail(), case_ref=case_ref, code=code, note=note, claimed=user)
    if label is not None:
        payload = _projection(measure, label, [t for t in via.split(",") if t.strip()], top, actor)
    else:
        payload = _query(measure, query_id or "", params, top, actor)
    _print(payload, as_json)


def _projection(measure: str, label: str, via: list[str], top: int | None, actor: Actor) -> dict[str, Any]:
    from access.roles import sees_sensitive
    from access.visibility import Visibility
    from queries.analyses import Limits
    from queries.projection import analyse_projection

    with open_workspace(AnalysisRefused) as workspace:
        settings = workspace.settings
        limits = Limits(settings.analysis_max_nodes, settings.analysis_max_relationships)
        outcome = analyse_projection(
            workspace.gateway, workspace.schema, workspace.audit, actor, measure, label, via, limits, top=top
        )
    found = outcome.analysis
    visible = Visibility(sees_sensitive(actor.role))
    return {
        "analysis": measure,
        "label": outcome.label,
        "via": list(outcome.via),
        "summary": found.summary,
        "columns": found.columns,
        "rows": visible.rows(found.rows, SENSITIVE),
        "elapsed_ms": outcome.elapsed_ms,
    }


def _query(measure: str, query_id: str, params: tuple[str, ...], top: int | None, actor: Actor) -> dict[str, Any]:
    from access.roles import sees_sensitive
    from access.visibility import Visibility

    values = parse_params(params)
    with open_workspace(AnalysisRefused, *run_errors()) as workspace:
        outcome = workspace.runner.run(query_id, values, actor=actor, post=Post(measure, top))
        schema = workspace.schema
    shown = Visibility(sees_sensitive(actor.role)).outcome(schema, outcome)
    return {
        "analysis": measure,
        "query_id": shown.query_id,
        "params": shown.params,
        "summary": dict(shown.summary),
        "columns": shown.columns,
        "rows": shown.rows,
        "elapsed_ms": shown.elapsed_ms,
    }


def _print(payload: dict[str, Any], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps({k: v for k, v in payload.items() if k != "elapsed_ms"}, ensure_ascii=False, indent=1))
        return
    columns = [c for c in payload["columns"] if c != "id"]  # the element id means nothing to a reader
    shown = table(*columns, whole=("node",))
    for row in payload["rows"]:
        shown.add_row(*(_cell(row[c]) for c in columns))
    console.print(shown)
    click.echo(
        f"{_totals(payload['summary'])}; {len(payload['rows'])} rows in {payload['elapsed_ms']:.0f} ms", err=True
    )


def _totals(summary: dict[str, Any]) -> str:
    analysis = summary.get("analysis", "")
    said = [
        f"{analysis} over {summary.get('nodes', 0):,} nodes and {summary.get('relationships', 0):,} relationships "
        f"({summary.get('ties', 0):,} linked pairs)"
    ]
    if analysis == "triangles":
        said.append(f"{summary['triangles']:,} triangles")
    elif analysis == "communities":
        said.append(f"{summary['communities']:,} communities, modularity {summary['modularity']:.3f}")
    elif analysis == "components":
        said.append(f"{summary['components']:,} components, the largest of {summary['largest_component']:,} nodes")
    return "; ".join(said)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)
