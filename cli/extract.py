"""`goldenbell extract`: the mentions in case reports, from a file or from the graph."""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from cli.common import fail, open_workspace
from graph.errors import GraphError
from graph.gateway import Gateway
from workspace import Workspace

console = Console(soft_wrap=True)
errors = Console(stderr=True, soft_wrap=True)
SOURCE = "goldenbell extract"
TEXT_COLUMN, ID_COLUMN = "案情简述", "警情编号"


def read_reports(path: Path) -> list[tuple[str, str]]:
    """(case ID, text) pairs: a .txt file is one report; a .jsonl file has one report per
    line in the shape of case_reports.jsonl (警情编号, 案情简述)."""
    if path.suffix.lower() == ".jsonl":
        reports = []
        for n, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise click.ClickException(f"{path}, line {n}: not JSON ({exc.msg})") from None
            if not isinstance(row, dict) or not isinstance(row.get(TEXT_COLUMN), str):
                raise click.ClickException(f"{path}, line {n}: no '{TEXT_COLUMN}' text")
            reports.append((str(row.get(ID_COLUMN) or f"line {n}"), row[TEXT_COLUMN]))
        return reports
    return [(path.name, path.read_text(encoding="utf-8-sig"))]


def _open_graph(workspace: Workspace, *, required: bool) -> Gateway | None:
    if not required and not workspace.database_configured:
        errors.print("no database: names and addresses are not matched against the graph, nothing is resolved")
        return None
    try:
        workspace.gateway.verify()
    except GraphError as exc:
        if required:
            fail(escape(str(exc)))
        errors.print("no database answers: names and addresses are not matched against the graph, nothing is resolved")
        return None
    return workspace.gateway


@click.command("extract")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--case", "case_ids", multiple=True, metavar="ID", help="A Case in the graph; repeat for more.")
@click.option("--all", "all_cases", is_flag=True, help="Every Case in the graph (with --write: re-link them all).")
@click.option("--write", is_flag=True, help="Store the links of --case/--all cases in the graph.")
@click.option("--json", "as_json", is_flag=True, help="Print the mentions as JSON lines.")
@click.option(
    "--model",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="A trained pipeline folder (default: the shipped one).",
)
def extract(
    file: Path | None, case_ids: tuple[str, ...], all_cases: bool, write: bool, as_json: bool, model: Path | None
) -> None:
    """Find people, ID numbers, phones, plates, addresses, dates and times in case reports."""
    if (file is not None) + bool(case_ids) + all_cases != 1:
        raise click.UsageError("give a FILE, --case ID or --all")
    if write and file is not None:
        raise click.UsageError("--write stores links of cases in the graph: use it with --case or --all")
    with open_workspace() as workspace:
        _extract(workspace, file, case_ids, write, as_json, model)


def _extract(
    workspace: Workspace,
    file: Path | None,
    case_ids: tuple[str, ...],
    write: bool,
    as_json: bool,
    model: Path | None,
) -> None:
    from ingest.extraction.cases import all_case_ids, extractor_for, link_cases
    from ingest.extraction.extractor import MODEL_DIR, Extractor
    from ingest.extraction.link import case_texts, resolve

    gateway = _open_graph(workspace, required=file is None)
    try:
        if gateway is None:
            extractor = Extractor.load(model or MODEL_DIR)
        else:
            extractor = extractor_for(gateway, model or MODEL_DIR)
        if write:
            ids = list(case_ids) if case_ids else list(all_case_ids(gateway, workspace.schema))
            run_id = f"extract-{datetime.now(UTC):%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"
            counts = link_cases(
                gateway, workspace.schema, extractor, ids, run_id=run_id, source=SOURCE, now=datetime.now(UTC)
            )
            console.print(
                f"{counts.cases} cases: {counts.linked} mentions linked, {counts.unresolved} kept unresolved "
                f"(run {run_id})",
                markup=False,
            )
            return
        if file is not None:
            reports = read_reports(file)
        else:
            ids = list(case_ids) if case_ids else list(all_case_ids(gateway, workspace.schema))
            found = {c.case_id: c.text for c in case_texts(gateway, workspace.schema, ids)}
            missing = [i for i in ids if i not in found]
            if missing:
                fail(f"no Case with case_id {escape(', '.join(missing))}")
            reports = [(i, found[i]) for i in ids]
        mentions = list(extractor.extract_many(text for _, text in reports))
        resolutions = resolve(gateway, workspace.schema, mentions) if gateway is not None else None
        _print(reports, mentions, resolutions, as_json)
    except GraphError as exc:
        fail(escape(str(exc)))


def _print(reports, mentions, resolutions, as_json: bool) -> None:
    rows = []
    for i, ((case_id, _), found) in enumerate(zip(reports, mentions, strict=True)):
        links = {(r.mention.start, r.mention.end): r for r in resolutions[i]} if resolutions else {}
        for m in found:
            r = links.get((m.start, m.end))
            target = f"{r.label}:{r.key}" if r is not None and r.resolved else ("unresolved" if r else "")
            rows.append(
                {
                    "case": case_id,
                    **asdict(m),
                    "links_to": target,
                    "link_confidence": r.confidence if r is not None else None,
                }
            )
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    table = Table("case", "start", "end", "type", "text", "key", "conf.", "source", "links to")
    for row in rows:
        table.add_row(
            *(
                Text(str(row[k] if row[k] is not None else ""))
                for k in ("case", "start", "end", "entity_type", "text", "key", "confidence", "source", "links_to")
            )
        )
    console.print(table)
    console.print(f"{len(rows)} mentions in {len(reports)} report(s)", markup=False)
