"""The `goldenbell` command: one entry point over every package's commands."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys

import click

from cli.access import audit, user
from cli.common import fail, settings_or_fail
from cli.db import db, schema_group
from cli.events import events
from cli.extract import extract
from cli.ingest import ingest
from cli.query import alerts, query
from cli.synth import synth
from settings.home import OwnerOnlyError, owner_only_umask, tighten_home
from settings.table import PROJECT_ROOT, Settings, SettingsError

APP = PROJECT_ROOT / "workbench" / "app.py"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="goldenbell")
def main() -> None:
    """goldenbell: knowledge graph and investigation workbench for public-safety analysts."""
    # First of all: what goldenbell writes, and the Neo4j and workbench it starts, is its user's only.
    owner_only_umask()
    with contextlib.suppress(SettingsError):  # a bad setting is reported by the command that reads it
        try:
            tighten_home(Settings.from_env().home)
        except OwnerOnlyError as exc:
            fail(str(exc))


main.add_command(db)
main.add_command(schema_group)
main.add_command(ingest)
main.add_command(events)
main.add_command(synth)
main.add_command(query)
main.add_command(alerts)
main.add_command(extract)
main.add_command(user)
main.add_command(audit)


def streamlit_argv(port: int) -> list[str]:
    """How the workbench is served: headless Streamlit on loopback, no usage statistics."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--global.developmentMode",
        "false",
        # A served workbench does not watch its own source: no reload of half-edited code, and
        # no watcher threads over the project tree.
        "--server.fileWatcherType",
        "none",
        # No "Deploy" button: it leads off the police network.
        "--client.toolbarMode",
        "minimal",
    ]


@main.command("workbench")
@click.option("--port", type=int, default=None, help="Port to listen on (default: GOLDENBELL_WORKBENCH_PORT).")
@click.option("--open", "open_browser", is_flag=True, help="Also open it in the default browser.")
def workbench(port: int | None, open_browser: bool) -> None:
    """Serve the workbench on 127.0.0.1 and keep running until stopped."""
    port = port or settings_or_fail().workbench_port
    url = f"http://127.0.0.1:{port}/"
    argv = streamlit_argv(port)
    click.echo(f"workbench: {url}")
    if open_browser:
        subprocess.Popen([sys.executable, "-m", "cli.open_when_ready", url], start_new_session=True)
    os.execv(sys.executable, argv)


if __name__ == "__main__":
    main()
