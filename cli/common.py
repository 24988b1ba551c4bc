"""What every command shares: failing with one clear line, the settings and the workspace
opened from them (their errors turned into that line), and tables that never lose text."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.table import Table

from graph.errors import GraphError
from graph.model import SchemaError
from queries.pack_model import PackError
from settings.table import Settings, SettingsError
from workspace import Workspace

errors = Console(stderr=True, soft_wrap=True)


def fail(message: str, code: int = 1) -> None:
    errors.print(f"[bold red]error:[/] {message}", markup=True, highlight=False, soft_wrap=True)
    sys.exit(code)


def settings_or_fail() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        fail(f"bad setting {exc}")
        raise  # unreachable; fail() exits


@contextmanager
def open_workspace(*also: type[Exception]) -> Iterator[Workspace]:
    """The configured workspace for one command, closed when it is done. A bad setting, a
    schema or pack that does not load, a database that does not answer — or one of `also`,
    raised by the command's own work — ends the command with its message (exit 1)."""
    try:
        with Workspace.open(settings_or_fail()) as workspace:
            yield workspace
    except (GraphError, PackError, SchemaError, *also) as exc:
        fail(str(exc))


def table(*columns: str, whole: tuple[str, ...] = ()) -> Table:
    """A table whose cells wrap rather than lose characters; `whole` columns never break."""
    out = Table(box=None)
    for column in columns:
        out.add_column(column, no_wrap=column in whole, overflow="fold")
    return out
