"""Start, stop and inspect the local Neo4j (the Java launcher in graph/server/).

The server runs as a background process with its pid, address and log recorded
under $GOLDENBELL_HOME, so any later command can find, check or stop it.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from settings.home import OWNER_ONLY_UMASK, OwnerOnlyError, open_private, private_home, tighten_tree
from settings.processes import alive
from settings.table import PROJECT_ROOT, Settings

SERVER_DIR = PROJECT_ROOT / "graph" / "server"
MAIN_CLASS = "goldenbell.server.LocalNeo4j"
READY = "GOLDENBELL-NEO4J READY"
REFUSED = "GOLDENBELL-NEO4J REFUSED"
FAILED = "GOLDENBELL-NEO4J FAILED"
# Neo4j's documented JDK 17 flags: its page cache and Bolt use these internals.
JVM_OPENS = (
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
)


class ServerError(RuntimeError):
    """The local Neo4j could not be started, stopped or found."""


class NotNeeded(ServerError):
    """NEO4J_URI points at another server, so there is nothing local to manage."""


@dataclass(frozen=True)
class RunState:
    pid: int
    port: int
    neo4j_home: str
    log: str
    started_at: float
    version: str = ""


def pid_file(settings: Settings) -> Path:
    return settings.home.resolve() / "neo4j.pid.json"


def log_file(settings: Settings) -> Path:
    return settings.home.resolve() / "neo4j.log"


def classpath() -> str:
    classes = SERVER_DIR / "target" / "classes"
    lib = SERVER_DIR / "target" / "lib"
    if not (classes / "goldenbell" / "server" / "LocalNeo4j.class").exists() or not lib.is_dir():
        raise ServerError(
            f"the Neo4j launcher is not built ({classes} is missing). "
            "Build it with `make server` (runs `mvn -f graph/server/pom.xml package`)."
        )
    return f"{classes}{os.pathsep}{lib}{os.sep}*"


def read_state(settings: Settings) -> RunState | None:
    """The recorded run state if that process is still alive; clears a stale record."""
    path = pid_file(settings)
    try:
        state = RunState(**json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (ValueError, TypeError) as exc:
        raise ServerError(f"cannot read {path} ({exc}); remove it if no Neo4j is running") from exc
    if not alive(state.pid):
        path.unlink(missing_ok=True)
        return None
    return state


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return "(no log written)"
    return "\n".join(text.splitlines()[-lines:])


def command(settings: Settings) -> list[str]:
    return [
        settings.java,
        f"-Xms{settings.heap}",
        f"-Xmx{settings.heap}",
        "-XX:+UseG1GC",
        "-XX:+ExitOnOutOfMemoryError",
        *JVM_OPENS,
        "-cp",
        classpath(),
        MAIN_CLASS,
        f"--home={settings.neo4j_home}",
        f"--port={settings.bolt_port}",
        f"--password-file={settings.password_file}",
        f"--pagecache={settings.pagecache}",
        f"--tx-timeout-ms={int(settings.tx_timeout * 1000)}",
        f"--tx-memory={settings.tx_memory}",
        f"--tx-memory-global={settings.tx_memory_total}",
        f"--tx-log-keep={settings.tx_log_keep}",
    ]


def start(settings: Settings) -> RunState:
    """Launch the local Neo4j in the background and wait until Bolt answers."""
    if settings.uses_external_neo4j:
        raise NotNeeded(
            f"NEO4J_URI is set ({settings.neo4j_uri}): goldenbell uses that server; no local Neo4j is needed."
        )
    running = read_state(settings)
    if running:
        raise ServerError(
            f"the local Neo4j is already running (pid {running.pid}, bolt://127.0.0.1:{running.port}, "
            f"store {running.neo4j_home}). Stop it first with `goldenbell db stop`."
        )
    if _port_in_use(settings.bolt_port):
        raise ServerError(
            f"port {settings.bolt_port} on 127.0.0.1 is already taken by another program. "
            "Stop it, or choose another port with GOLDENBELL_BOLT_PORT."
        )
    argv = command(settings)
    _owner_only(settings)
    log = log_file(settings)
    with open_private(log, "ab") as out:
        out.write(f"\n--- starting {time.strftime('%Y-%m-%d %H:%M:%S')} ---\n".encode())
        offset = out.tell()
        # umask 077: the store and transaction logs the JVM writes are its user's only.
        process = subprocess.Popen(
            argv,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            umask=OWNER_ONLY_UMASK,
        )
    state = RunState(
        pid=process.pid,
        port=settings.bolt_port,
        neo4j_home=str(settings.neo4j_home),
        log=str(log),
        started_at=time.time(),
    )
    _record(settings, state)
    deadline = time.monotonic() + settings.start_timeout
    while time.monotonic() < deadline:
        text = _read_from(log, offset)
        if READY in text:
            version = text.split("version=", 1)[1].split()[0] if "version=" in text else ""
            state = RunState(**{**state.__dict__, "version": version})
            _record(settings, state)
            return state
        if REFUSED in text or FAILED in text or process.poll() is not None:
            process.wait(timeout=60)
            pid_file(settings).unlink(missing_ok=True)
            reason = next((line for line in text.splitlines() if REFUSED in line or FAILED in line), "")
            reason = reason.replace(REFUSED, "").replace(FAILED, "").strip()
            reason = reason or f"the server exited with code {process.returncode}"
            raise ServerError(f"the local Neo4j did not start: {reason}\n--- last lines of {log} ---\n{tail(log)}")
        time.sleep(0.2)
    _terminate(process.pid, grace=20)
    pid_file(settings).unlink(missing_ok=True)
    raise ServerError(
        f"the local Neo4j did not answer within {settings.start_timeout:g} s (GOLDENBELL_START_TIMEOUT); "
        f"it was stopped.\n--- last lines of {log} ---\n{tail(log)}"
    )


def _owner_only(settings: Settings) -> None:
    """GOLDENBELL_HOME 0700, and a store written before under a looser umask tightened."""
    try:
        private_home(settings.home)
        tighten_tree(settings.neo4j_home)
    except OwnerOnlyError as exc:
        raise ServerError(str(exc)) from exc


def _record(settings: Settings, state: RunState) -> None:
    with open_private(pid_file(settings), "w", encoding="utf-8") as out:
        out.write(json.dumps(state.__dict__))


def _read_from(path: Path, offset: int) -> str:
    with path.open("rb") as f:
        f.seek(offset)
        return f.read().decode("utf-8", errors="replace")


def _terminate(pid: int, grace: float) -> bool:
    """SIGTERM, wait, then SIGKILL; True when the process ended within the grace period."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return True
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        _reap(pid)
        if not alive(pid):
            return True
        time.sleep(0.1)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return True
    _reap(pid)
    return False


def _reap(pid: int) -> None:
    # Only our own children can be reaped; a server started by another command is not one.
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def stop(settings: Settings, grace: float = 120.0) -> RunState | None:
    """Stop the local Neo4j gracefully. Returns what was stopped, or None if nothing ran."""
    if settings.uses_external_neo4j:
        raise NotNeeded(f"NEO4J_URI is set ({settings.neo4j_uri}): goldenbell does not manage that server.")
    state = read_state(settings)
    if state is None:
        return None
    clean = _terminate(state.pid, grace)
    pid_file(settings).unlink(missing_ok=True)
    if not clean:
        raise ServerError(
            f"the local Neo4j (pid {state.pid}) did not stop within {grace:g} s and was killed; "
            "the next start will run recovery."
        )
    return state


def store_size(settings: Settings) -> int:
    root = settings.neo4j_home / "data"
    total = 0
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            try:
                total += (Path(dirpath) / name).stat().st_size
            except FileNotFoundError:
                continue
    return total
