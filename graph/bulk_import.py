"""Neo4j's own bulk importer (`neo4j-admin database import full`) run on the local store.

It writes a whole database in one pass from node and relationship files, with the server
stopped: the way to a first load of millions of rows. The classes come with the Neo4j the
launcher in graph/server/ is built with, so nothing else is installed. Constraints and
indexes are created afterwards (`ddl.apply_schema`), on the loaded store.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from graph import local_server
from settings.home import OWNER_ONLY_UMASK, open_private, private_dir
from settings.table import Settings

ADMIN_CLASS = "org.neo4j.cli.AdminTool"
DATABASE = "neo4j"


class BulkImportError(RuntimeError):
    """The import tool refused the files or failed; the message holds its own words."""


def import_command(
    settings: Settings,
    nodes: Sequence[tuple[str, Path]],
    relationships: Sequence[tuple[str, Path]],
    *,
    report: Path,
    multiline: bool,
    array_delimiter: str,
) -> list[str]:
    """The import tool's command line: `nodes` as (label, file), `relationships` as (type, file)."""
    return [
        settings.java,
        *local_server.JVM_OPENS,
        "-cp",
        local_server.classpath(),
        ADMIN_CLASS,
        "database",
        "import",
        "full",
        DATABASE,  # before the file options, which take every word after them
        "--overwrite-destination=true",
        "--id-type=integer",
        f"--array-delimiter=U+{ord(array_delimiter):04X}",
        f"--multiline-fields={'true' if multiline else 'false'}",
        "--skip-bad-relationships=false",
        "--bad-tolerance=0",
        f"--report-file={report}",
        *(f"--nodes={label}={path}" for label, path in nodes),
        *(f"--relationships={rel_type}={path}" for rel_type, path in relationships),
    ]


def run_import(
    settings: Settings,
    nodes: Sequence[tuple[str, Path]],
    relationships: Sequence[tuple[str, Path]],
    *,
    multiline: bool,
    array_delimiter: str,
    log: Path,
) -> None:
    """Replace the local store's database with the files' graph. The server must be stopped:
    the tool takes the store's lock. Its output goes to `log`; a failure raises with its tail."""
    if settings.uses_external_neo4j:
        raise local_server.NotNeeded(
            f"NEO4J_URI is set ({settings.neo4j_uri}): the bulk importer writes only the local store"
        )
    running = local_server.read_state(settings)
    if running is not None:
        raise BulkImportError(f"the local Neo4j is running (pid {running.pid}): stop it before a bulk import")
    private_dir(settings.neo4j_home)  # a store never started has no folder yet
    with tempfile.TemporaryDirectory(prefix="goldenbell-import-conf-") as conf:
        Path(conf, "neo4j.conf").write_text("", encoding="utf-8")
        argv = import_command(
            settings,
            nodes,
            relationships,
            report=log.with_suffix(".bad.txt"),
            multiline=multiline,
            array_delimiter=array_delimiter,
        )
        env = {**os.environ, "NEO4J_HOME": str(settings.neo4j_home), "NEO4J_CONF": conf}
        with open_private(log, "ab") as out:
            done = subprocess.run(
                argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, umask=OWNER_ONLY_UMASK
            )
    if done.returncode != 0:
        raise BulkImportError(
            f"Neo4j's import tool failed (exit {done.returncode}); the store was not changed or holds a "
            f"partial import: run the bulk import again.\n--- last lines of {log} ---\n{local_server.tail(log)}"
        )
