"""The `goldenbell` command: one entry point over every package's commands.

Each command's module is imported only when that command is asked for (click's lazy-group
pattern), and the modules keep their heavy libraries (the Neo4j driver, pandas, DuckDB,
spaCy, Streamlit) inside the functions that use them: `goldenbell ingest --help` or
`goldenbell query list` starts in a fraction of a second rather than the seconds those
imports take (tests/cli/test_startup.py).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import subprocess
import sys

import click

from cli.common import fail, settings_or_fail
from settings.home import OwnerOnlyError, owner_only_umask, tighten_home
from settings.table import PROJECT_ROOT, Settings, SettingsError

APP = PROJECT_ROOT / "workbench" / "app.py"

# Command name → (module, attribute). A new command is registered by a line here.
COMMANDS: dict[str, tuple[str, str]] = {
    "db": ("cli.db", "db"),
    "schema": ("cli.db", "schema_group"),
    "ingest": ("cli.ingest", "ingest"),
    "events": ("cli.events", "events"),
    "synth": ("cli.synth", "synth"),
    "query": ("cli.query", "query"),
    "alerts": ("cli.alerts", "alerts"),
    "cypher": ("cli.cypher", "cypher"),
    "analyse": ("cli.analyse", "analyse"),
    "export": ("cli.exchange", "export"),
    "import-graph": ("cli.exchange", "import_graph"),
    "extract": ("cli.extract", "extract"),
    "user": ("cli.access", "user"),
    "audit": ("cli.access", "audit"),
}


class LazyGroup(click.Group):
    """A group whose `COMMANDS` are imported on first use, so one command never pays for another's imports."""

    def __init__(self, *args, lazy: dict[str, tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.lazy:
            return super().get_command(ctx, cmd_name)
        module, attribute = self.lazy[cmd_name]
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{module}.{attribute} is not a click command (cli/main.py COMMANDS)")
        return command


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
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
