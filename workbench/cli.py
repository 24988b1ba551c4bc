"""The `goldenbell` command: one entry point over every package's commands."""

from __future__ import annotations

import os
import subprocess
import sys

import click

from graph.cli import db, schema_group, settings_or_fail
from graph.settings import PROJECT_ROOT
from ingest.cli import ingest
from ingest.extraction.cli import extract
from ingest.synth.cli import synth
from queries.cli import alerts, query
from workbench.access.cli import audit, user

APP = PROJECT_ROOT / "workbench" / "app.py"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="goldenbell")
def main() -> None:
    """goldenbell: knowledge graph and investigation workbench for public-safety analysts."""


main.add_command(db)
main.add_command(schema_group)
main.add_command(ingest)
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
        subprocess.Popen([sys.executable, "-m", "workbench.open_when_ready", url], start_new_session=True)
    os.execv(sys.executable, argv)


if __name__ == "__main__":
    main()
