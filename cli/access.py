"""`goldenbell user …` and `goldenbell audit …`.

These run as the operator: the server account that owns the access database and the
audit log. Every change and every reading of the log is recorded under the login name
of whoever ran the command. Passwords are read from a hidden prompt or, for scripts,
from standard input (`--password-stdin`); never from the command line, where other
users of the machine and the shell history would see them.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.text import Text

from access.actor import Actor
from access.audit.seal import check_entity
from access.audit.view import EXPORT_FORMATS, export_audit, read_audit, verify_audit, who_audit
from access.errors import AccessError
from access.roles import ASSIGNABLE_ROLES
from cli import attribution
from cli.common import fail, open_workspace, table
from settings.table import SettingsError

console = Console(soft_wrap=True)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def shown(value: Any) -> Text:
    """A cell as literal text: no console markup, no terminal control characters."""
    text = "" if value is None else value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return Text(_CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text))


_actor_option = click.option("--actor", default=None, metavar="NAME", help=attribution.CLAIMED_HELP)
_stdin_option = click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of standard input."
)


def _new_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            fail("no password on standard input")
        return password
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def _admin(actor: str | None) -> Actor:
    return attribution.operator(actor, "user_administration")


@click.group("user")
def user() -> None:
    """Manage workbench users and their roles (every change is audited)."""


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ASSIGNABLE_ROLES), required=True, help="The user's role.")
@click.option("--display-name", default="", help="Name shown in the workbench header.")
@_stdin_option
@_actor_option
def user_add(name: str, role: str, display_name: str, password_stdin: bool, actor: str | None) -> None:
    """Add a user with a role; the password is asked for (hidden) or read from standard input."""
    with open_workspace(AccessError) as workspace:
        store = workspace.users
        password = _new_password(password_stdin)
        added = store.add(name, role, password, by=_admin(actor), display_name=display_name)
    click.echo(f"added {added.name} ({added.role})")


@user.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the users as JSON.")
def user_list(as_json: bool) -> None:
    """List users with their role, status and last sign-in (never a password or hash)."""
    with open_workspace() as workspace:
        users = workspace.users.list()
    if as_json:
        fields = ("name", "display_name", "role", "disabled", "created_at", "password_changed_at", "last_login_at")
        click.echo(json.dumps([{f: getattr(u, f) for f in fields} for u in users], ensure_ascii=False, indent=1))
        return
    listed = table("user", "name", "role", "status", "last sign-in", "password set")
    for u in users:
        status = "disabled" if u.disabled else "active"
        listed.add_row(*map(shown, (u.name, u.display_name, u.role, status, u.last_login_at, u.password_changed_at)))
    console.print(listed)


def _switch_command(verb: str, help: str) -> None:
    """`user disable` and `user enable`: the same command, switching the other way."""

    @user.command(verb, help=help)
    @click.argument("name")
    @_actor_option
    def command(name: str, actor: str | None) -> None:
        with open_workspace(AccessError) as workspace:
            getattr(workspace.users, verb)(name, by=_admin(actor))
        click.echo(f"{verb}d {name}")


_switch_command("disable", "Disable a user; their sessions end at once.")
_switch_command("enable", "Enable a disabled user again.")


@user.command("set-role")
@click.argument("name")
@click.argument("role", type=click.Choice(ASSIGNABLE_ROLES))
@_actor_option
def user_set_role(name: str, role: str, actor: str | None) -> None:
    """Change a user's role; it applies from the user's next action."""
    with open_workspace(AccessError) as workspace:
        changed = workspace.users.set_role(name, role, by=_admin(actor))
    click.echo(f"{changed.name} is now {changed.role}")


@user.command("reset-password")
@click.argument("name")
@_stdin_option
@_actor_option
def user_reset_password(name: str, password_stdin: bool, actor: str | None) -> None:
    """Set a new password; the user's sessions end and any sign-in lock is lifted."""
    with open_workspace(AccessError) as workspace:
        store = workspace.users
        password = _new_password(password_stdin)
        store.reset_password(name, password, by=_admin(actor))
    click.echo(f"password of {name} reset")


def _reader(actor: str | None) -> Actor:
    return attribution.operator(actor, "audit_review")


def _when(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        fail(f"{value!r} is not a date or time (write 2025-03-01 or 2025-03-01T08:00+08:00)")
        raise
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


_filter_options = [
    click.option("--user", "user_name", default=None, help="Only entries of this user."),
    click.option("--action", default=None, help="Only this action and its sub-actions (e.g. query, login)."),
    click.option("--outcome", type=click.Choice(("ok", "refused", "error")), default=None, help="Only this outcome."),
    click.option("--case", "case_ref", default=None, help="Only entries under this case reference."),
    click.option("--since", default=None, help="Only entries at or after this time (ISO; UTC unless a zone is given)."),
    click.option("--until", default=None, help="Only entries before this time."),
]


def _with_filters(command):
    for option in reversed(_filter_options):
        command = option(command)
    return command


def _filter_values(user_name, action, outcome, case_ref, since, until) -> dict[str, Any]:
    return {
        "user": user_name,
        "action": action,
        "outcome": outcome,
        "case_ref": case_ref,
        "since": _when(since),
        "until": _when(until),
    }


def _what(entry: dict[str, Any]) -> str:
    """What was asked: the query id and its parameters."""
    what = entry.get("query_id") or ""
    if entry.get("parameters"):
        what = (what + " " if what else "") + json.dumps(entry["parameters"], ensure_ascii=False, sort_keys=True)
    return what


@click.group("audit")
def audit() -> None:
    """Read, verify and export the audit log (reading it is itself recorded)."""


@audit.command("show")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="At most this many entries.")
@_with_filters
@click.option("--json", "as_json", is_flag=True, help="Print the entries as JSON lines.")
@_actor_option
def audit_show(
    limit: int, user_name, action, outcome, case_ref, since, until, as_json: bool, actor: str | None
) -> None:
    """Show the newest entries, optionally filtered."""
    filters = _filter_values(user_name, action, outcome, case_ref, since, until)
    with open_workspace(AccessError) as workspace:
        entries = read_audit(workspace.audit, _reader(actor), limit=limit, **filters)
    if as_json:
        for entry in entries:
            click.echo(json.dumps(entry, ensure_ascii=False, sort_keys=True))
        return
    listed = table(
        "seq",
        "time",
        "user",
        "role",
        "action",
        "outcome",
        "case",
        "reason",
        "what",
        "rows",
        "message",
        whole=("seq", "time", "action", "outcome"),
    )
    for e in entries:
        cells = (e.get("seq"), e.get("time"), e.get("user"), e.get("role"), e.get("action"), e.get("outcome"))
        cells += (e.get("case_ref"), e.get("reason"), _what(e), e.get("rows"), e.get("message"))
        listed.add_row(*map(shown, cells))
    console.print(listed)
    click.echo(f"{len(entries)} entries (newest first)", err=True)


@audit.command("verify")
@click.option(
    "--anchors",
    "anchor_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Check against the anchors in this file (repeatable): an anchor file, a log server's store or a "
    "syslog file. Default: the file anchors in GOLDENBELL_AUDIT_ANCHORS.",
)
@_actor_option
def audit_verify(anchor_files: tuple[Path, ...], actor: str | None) -> None:
    """Check the chain, the head record and the anchors; exit 1 naming each entry changed, inserted or removed."""
    with open_workspace(AccessError, SettingsError, OSError) as workspace:
        result = verify_audit(workspace.audit, _reader(actor), list(anchor_files) or None)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if not result.ok:
        for fault in result.faults:
            click.echo(f"FAULT {fault}", err=True)
        fail(f"the audit log {result.path} is not as written: {result.first_fault}")
    sealed = f"; {result.unchained} earlier unchained lines sealed by the first entry" if result.unchained else ""
    summary = f"{result.entries} entries, last seq {result.last_seq}, hash {result.last_hash}"
    if result.files:
        summary += f", {len(result.files) + 1} files"
    if result.last_anchor is not None:
        last = result.last_anchor
        summary += f"; matches {result.anchors} anchors, the last seq {last.seq} at {last.time}"
    click.echo(f"audit log intact: {summary}{sealed}")


@audit.command("who")
@click.option("--entity", required=True, help="The entity, as Label:key (Person:<ID number>, Phone:<number>, …).")
@click.option("--limit", type=click.IntRange(min=1), default=200, show_default=True, help="At most this many entries.")
@click.option("--json", "as_json", is_flag=True, help="Print the entries as JSON lines.")
@_actor_option
def audit_who(entity: str, limit: int, as_json: bool, actor: str | None) -> None:
    """Who consulted an entity: when, in which case and why, with which action or query (recorded)."""
    try:
        check_entity(entity)
    except ValueError as exc:
        fail(f"--entity: {exc}")
    with open_workspace(AccessError, SettingsError) as workspace:
        found = who_audit(workspace.audit, _reader(actor), entity, limit=limit)
    if as_json:
        for entry in found.entries:
            click.echo(json.dumps(entry, ensure_ascii=False, sort_keys=True))
    else:
        listed = table("time", "user", "role", "case", "reason", "action", "what", "rows", whole=("time", "action"))
        for e in found.entries:
            cells = (e.get("time"), e.get("user"), e.get("role"), e.get("case_ref"), e.get("reason"), e.get("action"))
            listed.add_row(*map(shown, (*cells, _what(e), e.get("rows"))))
        console.print(listed)
    if found.unsearchable:
        click.echo(
            f"warning: {found.unsearchable} entries name their entities under an audit key not at hand "
            "(GOLDENBELL_AUDIT_KEY_FILE) and could not be searched",
            err=True,
        )
    click.echo(f"{len(found.entries)} consultations of {entity} (newest first)", err=True)


@audit.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="jsonl", show_default=True, help="File format."
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write (new).")
@_with_filters
@_actor_option
def audit_export(fmt: str, out: Path, user_name, action, outcome, case_ref, since, until, actor: str | None) -> None:
    """Export entries, oldest first, to a new file readable by its owner only."""
    if out.exists():
        fail(f"{out} exists; an export never overwrites a file")
    filters = _filter_values(user_name, action, outcome, case_ref, since, until)
    with open_workspace(AccessError, OSError) as workspace:
        count = export_audit(workspace.audit, _reader(actor), out, fmt, **filters)
    click.echo(f"wrote {count} entries to {out}")
