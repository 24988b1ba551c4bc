"""`goldenbell db …` and `goldenbell schema …`."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import click
from rich.console import Console
from rich.table import Table

from cli.common import errors, fail, open_workspace, settings_or_fail
from graph import admin, ddl, local_server
from graph.docs import schema_markdown
from graph.warmup import log_path as warmup_log
from settings.table import Settings

console = Console(soft_wrap=True)


@click.group("db")
def db() -> None:
    """Run and inspect the database."""


@contextmanager
def _local_server() -> Iterator[Settings]:
    """The settings, for starting or stopping the local Neo4j. When NEO4J_URI names another
    server there is nothing to do: said so, the rest of the block is skipped."""
    try:
        yield settings_or_fail()
    except local_server.NotNeeded as exc:
        console.print(str(exc), highlight=False)
    except local_server.ServerError as exc:
        fail(str(exc))


@db.command("start")
@click.option(
    "--warmup/--no-warmup",
    default=True,
    help="Read the graph's indexes and stores into memory in the background once it is up.",
)
def db_start(warmup: bool) -> None:
    """Start the local Neo4j in the background and wait until Bolt answers."""
    began = time.monotonic()
    with _local_server() as settings:
        state = local_server.start(settings)
        console.print(
            f"Neo4j {state.version} is up at bolt://127.0.0.1:{state.port} in {time.monotonic() - began:.1f} s "
            f"(pid {state.pid}, store {state.neo4j_home}, log {state.log})",
            highlight=False,
        )
        if warmup:
            _warm_in_background(settings)


@db.command("warm")
def db_warm() -> None:
    """Warm the caches and plan the workbench's first queries in the background, as `db start` does (after a load)."""
    settings = settings_or_fail()
    with open_workspace() as workspace:
        workspace.gateway.verify()  # a clear error if nothing answers
    _warm_in_background(settings)


def _warm_in_background(settings: Settings) -> None:
    # Its own process, so the command returns and the workbench can start meanwhile.
    subprocess.Popen(
        [sys.executable, "-m", "workspace.warmup"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    console.print(f"warming its caches in the background: {warmup_log(settings)}", highlight=False)


@db.command("stop")
def db_stop() -> None:
    """Stop the local Neo4j gracefully."""
    with _local_server() as settings:
        state = local_server.stop(settings)
        if state is None:
            console.print("No local Neo4j is running; nothing to stop.")
        else:
            console.print(f"Stopped the local Neo4j (pid {state.pid}).", highlight=False)


@db.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def db_status(as_json: bool) -> None:
    """Print the Neo4j version, address, store size and counts; exit 1 when nothing answers."""
    settings = settings_or_fail()
    state = None
    if not settings.uses_external_neo4j:
        state = local_server.read_state(settings)
        if state is None:
            fail(
                f"no local Neo4j is running (no live process recorded in {local_server.pid_file(settings)}). "
                "Start it with `goldenbell db start`, or set NEO4J_URI to use another server."
            )
    with open_workspace() as workspace:
        status = admin.database_status(workspace.gateway, workspace.schema)
    store = local_server.store_size(settings) if state else None
    if as_json:
        payload = {**status.__dict__, "store_bytes": store, "pid": state.pid if state else None}
        console.print_json(json.dumps(payload, ensure_ascii=False))
        return
    console.print(
        f"Neo4j {status.version} ({status.edition}) at {status.uri}, database {status.database}", highlight=False
    )
    if state:
        console.print(
            f"local server: pid {state.pid}, store {state.neo4j_home} ({store / 1e6:.1f} MB), log {state.log}",
            highlight=False,
        )
        warming = warmup_log(settings)
        if warming.is_file() and warming.stat().st_mtime >= state.started_at:
            lines = warming.read_text(encoding="utf-8").splitlines()
            console.print(f"cache warm-up: {lines[-1] if lines else 'starting'} ({warming})", highlight=False)
    console.print(f"{status.nodes} nodes, {status.relationships} relationships", highlight=False)
    table = Table("label", "nodes", "relationship type", "relationships", box=None)
    labels = list(status.labels.items())
    types = list(status.relationship_types.items())
    for i in range(max(len(labels), len(types))):
        left = labels[i] if i < len(labels) else ("", "")
        right = types[i] if i < len(types) else ("", "")
        table.add_row(left[0], str(left[1]), right[0], str(right[1]))
    console.print(table)


@db.command("init")
def db_init() -> None:
    """Create the schema's constraints and indexes; fill derived values (name initials) missing (idempotent)."""
    from graph.initials import fill_missing

    with open_workspace() as workspace:
        report = ddl.apply_schema(workspace.gateway, workspace.schema)
        # A graph loaded before a derived property was declared gets it now (a name's initials).
        filled = fill_missing(workspace.gateway, workspace.schema)
    if filled:
        console.print(f"filled {filled} derived values (such as a name's pinyin initials)", highlight=False)
    created = [r for r in report if r.outcome == "created"]
    differs = [r for r in report if r.outcome == "differs"]
    console.print(
        f"{len(created)} created, {len(report) - len(created) - len(differs)} already present, "
        f"{len(differs)} different from the schema",
        highlight=False,
    )
    for item in created:
        console.print(f"  created {item.name}", highlight=False)
    for item in differs:
        errors.print(f"  [yellow]differs[/] {item.name}: {item.detail}", highlight=False)
    if differs:
        sys.exit(1)


@db.command("wipe")
@click.option("--yes", is_flag=True, help="Really delete every node and relationship.")
def db_wipe(yes: bool) -> None:
    """Delete all data (constraints and indexes stay). Needs --yes."""
    if not yes:
        fail("`db wipe` deletes every node and relationship; run it again with --yes to do so.")
    with open_workspace() as workspace:
        deleted = admin.wipe(workspace.gateway)
    console.print(f"Deleted {deleted} nodes and their relationships.", highlight=False)


@click.group("schema")
def schema_group() -> None:
    """Inspect the graph schema."""


@schema_group.command("show")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
def schema_show(fmt: str) -> None:
    """Print every node label and relationship type with its properties."""
    with open_workspace() as workspace:
        schema = workspace.schema
    if fmt == "markdown":
        click.echo(schema_markdown(schema), nl=False)
        return
    if fmt == "json":
        click.echo(json.dumps(_schema_json(schema), ensure_ascii=False, indent=2))
        return
    for node in schema.nodes.values():
        table = Table(title=f"{node.label} · {node.names.zh} · key {node.key}", title_justify="left")
        for column in ("property", "type", "中文", "English", "flags"):
            table.add_column(column)
        for prop in node.properties.values():
            table.add_row(prop.name, prop.type, prop.names.zh, prop.names.en, _flags(prop))
        console.print(table)
    rels = Table(title="relationships", title_justify="left")
    for column in ("type", "from", "to", "中文", "properties"):
        rels.add_column(column)
    for rel in schema.relationships.values():
        rels.add_row(rel.type, "|".join(rel.start), "|".join(rel.end), rel.names.zh, ", ".join(rel.properties))
    console.print(rels)


def _flags(prop) -> str:
    flags = [name for name in ("required", "fulltext", "index") if getattr(prop, name)]
    if prop.mask:
        flags.append(f"mask:{prop.mask}")
    if prop.values:
        flags.append("values:" + "/".join(prop.values))
    return " ".join(flags)


def _schema_json(schema) -> dict:
    def props(properties):
        return {
            p.name: {
                "type": p.type,
                "names": p.names.__dict__,
                "required": p.required,
                "fulltext": p.fulltext,
                "index": p.index,
                "mask": p.mask,
                "values": list(p.values),
            }
            for p in properties.values()
        }

    return {
        "nodes": {
            n.label: {
                "names": n.names.__dict__,
                "key": n.key,
                "caption": n.caption,
                "style": n.style.__dict__,
                "properties": props(n.properties),
                "indexes": [list(i) for i in n.indexes],
            }
            for n in schema.nodes.values()
        },
        "relationships": {
            r.type: {
                "names": r.names.__dict__,
                "from": list(r.start),
                "to": list(r.end),
                "key": r.key,
                "properties": props(r.properties),
            }
            for r in schema.relationships.values()
        },
        "provenance": props(schema.provenance),
    }
