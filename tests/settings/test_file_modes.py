"""What goldenbell writes under GOLDENBELL_HOME is its user's only, whatever umask it was started with.

Each kind of file is written through goldenbell's own code while this process has a
permissive umask (022). Then a child process running as another user (nobody) tries to
read every file and list every folder. It reaches each one through a descriptor handed
over from here (/proc/self/fd/N), so the folders above it do not decide the outcome: only
the file's or folder's own mode does. A deliberately world-readable file shows that the
probe can read what others may read.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from access.actor import Actor
from access.audit.log import AuditEvent, AuditLog
from access.audit.view import export_audit
from access.users import UserStore
from cli.main import main
from graph import admin, local_server
from graph.gateway import Gateway
from graph.model import Schema
from ingest.api import import_files
from ingest.rejects import read_rejects
from settings.table import PROJECT_ROOT, Settings
from workbench.importing import store, upload_folder

NOBODY = 65534
HOUSEHOLD = """户号,姓名,公民身份号码,性别,民族,出生日期,户籍地址,联系电话
1,张伟,11010519491231002X,男,汉族,19491231,浙江省嘉兴市南湖区新兴街道新兴社区3幢2单元501室,13812345678
2,李娜,110105194912310021,女,汉族,19491231,南湖区新兴街道新兴社区3幢2单元502室,13812345679
"""
# Reads one byte of each file and lists each folder it is handed; says which it could.
PROBE = r"""
for item in "$@"; do
  fd=${item#?}
  case $item in
    d*) ls "/proc/self/fd/$fd/" >/dev/null 2>&1 ;;
    *) head -c 1 "/proc/self/fd/$fd" >/dev/null 2>&1 ;;
  esac && echo "$fd read" || echo "$fd refused"
done
"""


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def tree(root: Path) -> list[Path]:
    """`root` and every folder and file under it (links are not followed)."""
    return [root, *sorted(root.rglob("*"))]


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def shared_parent() -> Iterator[Path]:
    """A folder any local user may enter, as a shared host's /srv or /home would be."""
    folder = Path(tempfile.mkdtemp(prefix="goldenbell-modes-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def written(gateway: Gateway, schema: Schema, neo4j_settings: Settings, shared_parent, permissive_umask) -> Settings:
    """A fresh GOLDENBELL_HOME holding one of each file goldenbell writes, written with umask 022."""
    settings = Settings.from_env({"GOLDENBELL_HOME": str(shared_parent / "home")})
    audit = AuditLog.from_settings(settings)
    # The workbench keeps an upload; the importer reads it and rejects its bad row.
    upload = store(upload_folder(settings), "household_registry.csv", HOUSEHOLD.encode())
    admin.wipe(gateway)
    rejects = settings.home / "rejects" / "run.csv"
    report = import_files([upload], schema=schema, gateway=gateway, rejects_path=rejects)
    assert report.rows_rejected == 1 and read_rejects(rejects)[0]["original"].startswith("2,李娜,")
    audit.append(AuditEvent(user="probe", action="search", parameters={"q": "李娜"}))
    UserStore.from_settings(settings, audit=audit).add("auditor-one", "auditor", "Synthetic-Only-42", by=Actor.cli())
    export_audit(audit, Actor("auditor-one", "auditor"), settings.home / "audit-export.csv", "csv")
    return settings


def written_files(settings: Settings) -> list[Path]:
    home = settings.home.resolve()
    files = [
        home / "rejects" / "run.csv",
        home / "audit.jsonl",
        home / "audit.jsonl.head",
        home / "access.db",
        home / "audit-export.csv",
        *home.glob("uploads/*/household_registry.csv"),
    ]
    assert all(path.is_file() for path in files), [path for path in files if not path.is_file()]
    assert len(files) == 6
    return files


def neo4j_tree(settings: Settings) -> list[Path]:
    """The local Neo4j's home, store and logs, as the JVM has left them so far."""
    if settings.uses_external_neo4j:
        pytest.skip("GOLDENBELL_TEST_NEO4J_URI: the store is another server's")
    paths = tree(settings.home.resolve())
    store_files = [p for p in paths if p.is_file() and settings.neo4j_home in p.parents]
    assert any("transactions" in p.parts or p.name.startswith("neostore.transaction") for p in store_files)
    assert settings.password_file in paths
    return paths


def test_every_folder_and_file_goldenbell_writes_has_no_group_or_other_bits(written, neo4j_settings):
    files = written_files(written)
    paths = tree(written.home.resolve()) + neo4j_tree(neo4j_settings)
    assert set(files) <= set(paths)
    loose = {str(p): oct(mode(p)) for p in paths if not p.is_symlink() and mode(p) & 0o077}
    assert loose == {}
    assert all(mode(p) == 0o600 for p in files)
    assert mode(written.home) == 0o700


def test_another_local_user_can_open_none_of_them(written, neo4j_settings, shared_parent):
    if os.geteuid() != 0:
        pytest.skip("reading as another user needs root to switch to uid 65534 (CI runs as root)")
    paths = [p for p in tree(written.home.resolve()) + neo4j_tree(neo4j_settings) if not p.is_symlink()]
    control = shared_parent / "anyone-may-read.txt"
    control.write_text("synthetic\n")
    control.chmod(0o644)
    fds = {}
    try:
        for path in [control, *paths]:
            fds[os.open(path, os.O_PATH)] = path
        items = [f"{'d' if fds[fd].is_dir() else 'f'}{fd}" for fd in fds]
        probe = subprocess.run(
            ["/bin/sh", "-c", PROBE, "probe", *items],
            pass_fds=list(fds),
            preexec_fn=_as_nobody,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    finally:
        for fd in fds:
            os.close(fd)
    seen = dict(line.split() for line in probe.stdout.splitlines())
    outcome = {fds[int(fd)]: result for fd, result in seen.items()}
    assert outcome.pop(control) == "read"
    assert len(outcome) == len(paths) > 20
    assert {str(p) for p, result in outcome.items() if result != "refused"} == set()


def _as_nobody() -> None:
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


def test_the_local_neo4j_runs_with_umask_077(neo4j_settings):
    if neo4j_settings.uses_external_neo4j:
        pytest.skip("GOLDENBELL_TEST_NEO4J_URI: the server is not started here")
    state = local_server.read_state(neo4j_settings)
    status = Path(f"/proc/{state.pid}/status").read_text()
    assert "Umask:\t0077" in status


def test_the_command_line_sets_umask_077_and_tightens_an_existing_home(shared_parent, permissive_umask):
    home = shared_parent / "home"
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    CliRunner().invoke(main, ["db", "status"], env={"GOLDENBELL_HOME": str(home)})
    assert os.umask(0o022) == 0o077
    assert mode(home) == 0o700


def test_a_home_of_another_user_is_refused_with_a_clear_message(shared_parent, permissive_umask):
    if os.geteuid() != 0:
        pytest.skip("giving a folder to another user needs root")
    home = shared_parent / "home"
    home.mkdir(mode=0o755)
    os.chown(home, NOBODY, NOBODY)
    result = CliRunner().invoke(main, ["db", "status"], env={"GOLDENBELL_HOME": str(home)})
    assert result.exit_code == 1
    assert f"{home} belongs to another user (uid {NOBODY})" in result.output
    assert mode(home) == 0o755


def test_the_workbench_served_directly_sets_umask_077_and_makes_its_home_0700(
    shared_parent, permissive_umask, monkeypatch
):
    home = shared_parent / "home"
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    monkeypatch.setenv("GOLDENBELL_HOME", str(home))
    st.cache_resource.clear()
    try:
        app = AppTest.from_file(str(PROJECT_ROOT / "workbench" / "app.py"), default_timeout=60).run()
    finally:
        st.cache_resource.clear()
    assert not app.exception
    assert os.umask(0o022) == 0o077
    assert mode(home) == 0o700
