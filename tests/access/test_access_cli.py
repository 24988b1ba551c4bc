"""`goldenbell user …` and `goldenbell audit …` through the real command, in a temporary home."""

from __future__ import annotations

import csv
import getpass
import json

import pytest
from click.testing import CliRunner

from access.audit.log import AuditLog
from cli.main import main

PASSWORD = "Correct-Horse-Battery-42"


@pytest.fixture
def cli(tmp_path):
    env = {"GOLDENBELL_HOME": str(tmp_path / "home"), "COLUMNS": "250"}

    def invoke(*args: str, input: str | None = None):
        return CliRunner().invoke(main, list(args), env=env, input=input, catch_exceptions=False)

    invoke.home = tmp_path / "home"
    invoke.log = AuditLog(tmp_path / "home" / "audit.jsonl")
    return invoke


def test_users_are_added_listed_and_changed_without_a_password_ever_shown(cli):
    added = cli("user", "add", "ana", "--role", "analyst", "--password-stdin", "--actor", "root", input=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    prompted = cli("user", "add", "sup", "--role", "supervisor", "--display-name", "王主管", input=f"{PASSWORD}\n" * 2)
    assert prompted.exit_code == 0, prompted.output
    assert cli("user", "set-role", "ana", "supervisor").exit_code == 0
    assert cli("user", "disable", "ana").exit_code == 0
    listed = cli("user", "list", "--json")
    assert [(u["name"], u["role"], u["disabled"]) for u in json.loads(listed.output)] == [
        ("ana", "supervisor", True),
        ("sup", "supervisor", False),
    ]
    assert cli("user", "enable", "ana").exit_code == 0
    reset = cli("user", "reset-password", "ana", "--password-stdin", input="Another-Passphrase-77\n")
    assert reset.exit_code == 0, reset.output
    everything = added.output + prompted.output + listed.output + reset.output
    assert PASSWORD not in everything and "Another-Passphrase-77" not in everything
    log_text = cli.log.path.read_text(encoding="utf-8")
    assert PASSWORD not in log_text and "Another-Passphrase-77" not in log_text
    assert PASSWORD.encode() not in (cli.home / "access.db").read_bytes()
    assert [e["action"] for e in cli.log.events()] == [
        "user.add",
        "user.add",
        "user.set_role",
        "user.disable",
        "user.enable",
        "user.reset_password",
    ]
    assert {e["role"] for e in cli.log.events()} == {"operator"}


def test_a_password_is_never_an_argument(cli):
    result = cli("user", "add", "ana", "--role", "analyst", "--password", PASSWORD)
    assert result.exit_code == 2 and "No such option" in result.output


def test_refusals_exit_non_zero_with_the_reason(cli):
    result = cli("user", "disable", "nobody")
    assert result.exit_code == 1 and "no user nobody" in result.output
    weak = cli("user", "add", "ana", "--role", "analyst", "--password-stdin", input="short\n")
    assert weak.exit_code == 1 and "at least 12" in weak.output


def test_audit_show_lists_entries_and_is_itself_recorded(cli):
    cli("user", "add", "ana", "--role", "analyst", "--password-stdin", input=PASSWORD + "\n")
    shown = cli("audit", "show", "--action", "user", "--actor", "auditor1")
    assert shown.exit_code == 0 and "user.add" in shown.output and "ana" in shown.output
    entry = list(cli.log.events())[-1]
    # The entry names the account that ran the command; the name typed with --actor is a note.
    assert (entry["user"], entry["action"], entry["rows"]) == (getpass.getuser(), "audit.read", 1)
    assert entry["parameters"] == {"action": "user", "limit": 50} and entry["reason"] == "audit_review: for auditor1"
    as_json = cli("audit", "show", "--json", "--limit", "1")
    assert json.loads(as_json.output.splitlines()[0])["action"] == "audit.read"


def test_audit_verify_names_the_edited_entry(cli):
    for name in ("ana", "bob", "cai"):
        cli("user", "add", name, "--role", "analyst", "--password-stdin", input=PASSWORD + "\n")
    intact = cli("audit", "verify")
    assert intact.exit_code == 0 and "audit log intact: 3 entries" in intact.output
    text = cli.log.path.read_bytes()
    cli.log.path.write_bytes(text.replace(b'"target":"bob"', b'"target":"bot"'))
    broken = cli("audit", "verify")
    assert broken.exit_code == 1
    assert "line 2, seq 2: edited" in broken.output


def test_audit_verify_finds_a_deleted_entry(cli):
    for name in ("ana", "bob", "cai"):
        cli("user", "add", name, "--role", "analyst", "--password-stdin", input=PASSWORD + "\n")
    lines = cli.log.path.read_bytes().splitlines(keepends=True)
    cli.log.path.write_bytes(lines[0] + lines[2])
    broken = cli("audit", "verify")
    assert broken.exit_code == 1 and "line 2, seq 3: deleted: entry 2 is missing" in broken.output


def test_audit_export_writes_a_new_owner_only_file(cli, tmp_path):
    cli("user", "add", "ana", "--role", "analyst", "--password-stdin", input=PASSWORD + "\n")
    out = tmp_path / "audit.csv"
    result = cli("audit", "export", "--format", "csv", "--out", str(out))
    assert result.exit_code == 0 and "wrote 1 entries" in result.output
    assert (out.stat().st_mode & 0o777) == 0o600
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0]["action"] == "user.add" and rows[0]["user"]
    assert list(cli.log.events())[-1]["action"] == "audit.export"
    again = cli("audit", "export", "--format", "csv", "--out", str(out))
    assert again.exit_code == 1 and "never overwrites" in again.output
    copy = tmp_path / "audit.jsonl"
    assert cli("audit", "export", "--out", str(copy)).exit_code == 0
    original = cli.log.path.read_bytes().splitlines(keepends=True)
    assert copy.read_bytes().splitlines(keepends=True) == original[: len(copy.read_bytes().splitlines())]
