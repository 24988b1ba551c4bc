"""Who a command acts as. The operating-system account that runs it is the actor, whatever
is typed: a name given with `--user` or `--actor` is recorded only as a note beside the
reason ("for …"), since anyone can type any name. A consultation (`query run`) also needs a
case reference, in the form the site's pattern asks, and a reason code from the list the
workbench offers; without them the command ends before anything is read or recorded.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from typing import Any

import click

from access.actor import Actor
from access.errors import ReasonRefused
from access.reasons import ReasonForAccess, reasons_for
from access.roles import OPERATOR
from settings.table import Settings

CLAIMED_HELP = "A name to note beside the reason; the entry's user is always the account that runs the command."


def os_user() -> str:
    return getpass.getuser()


def claimed_note(claimed: str | None, note: str = "") -> str:
    """`note`, with "for NAME" before it when a name other than the account's was claimed."""
    claimed = " ".join((claimed or "").split())
    parts = [f"for {claimed}"] if claimed and claimed != os_user() else []
    return "; ".join([*parts, *([note] if note else [])])


def operator(claimed: str | None = None, reason: str = "") -> Actor:
    """The account running a command that consults no one's data (user administration, the
    audit review, an alert's status, the alert rules as a job)."""
    note = claimed_note(claimed)
    if note:
        reason = f"{reason}: {note}" if reason else note
    return Actor(os_user(), OPERATOR, reason=reason)


def reason_codes() -> list[str]:
    return [reason.code for reason in reasons_for(OPERATOR)]


def consultation_options(what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The --case, --reason and --note options of a consultation (`case_ref`, `code`, `note`);
    `what` ends the reason's help: "Why <what> (required, recorded)"."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        command = click.option("--note", default="", help="Free text recorded after the reason code.")(command)
        command = click.option(
            "--reason",
            "code",
            default="",
            metavar="CODE",
            help=f"Why {what} (required, recorded): {', '.join(reason_codes())}.",
        )(command)
        return click.option(
            "--case", "case_ref", default="", help="Case reference this consultation serves (required, recorded)."
        )(command)

    return decorate


def consulting(settings: Settings, *, case_ref: str, code: str, note: str = "", claimed: str | None = None) -> Actor:
    """The account running a consultation, with its checked case reference and reason; a
    click.UsageError (exit 2, nothing read, nothing recorded) when either is missing or wrong."""
    if not case_ref or not code:
        missing = " and ".join(name for name, given in (("--case", case_ref), ("--reason", code)) if not given)
        raise click.UsageError(
            f"{missing} missing: every consultation is recorded with the case it serves (--case CASE_REF) "
            f"and why (--reason CODE, one of: {', '.join(reason_codes())})"
        )
    try:
        purpose = ReasonForAccess(case_ref, code, claimed_note(claimed, note), settings.case_ref_pattern)
    except ReasonRefused as exc:
        raise click.UsageError(str(exc)) from exc
    if not purpose.open_to(OPERATOR):
        raise click.UsageError(f"--reason {code} is not one a command-line consultation may give")
    return Actor(os_user(), OPERATOR, case_ref=purpose.case_ref, reason=purpose.reason)
