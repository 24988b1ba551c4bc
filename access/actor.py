"""Who acts, in which role and for what purpose: the fields every audit entry carries,
travelling as one value with every audited call.

A workbench session turns into an Actor for each action; a command-line run is the
`operator` (the server account, recorded with its login name).
"""

from __future__ import annotations

import getpass
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from access.audit.log import AuditEvent, AuditLog
from access.errors import AccessDenied, ReasonRequired
from access.roles import OPERATOR, Permission, denial, may


@dataclass(frozen=True)
class Actor:
    user: str
    role: str
    session: str = ""  # public session id
    case_ref: str = ""
    reason: str = ""

    @classmethod
    def cli(cls, user: str | None = None, *, case_ref: str = "", reason: str = "") -> Actor:
        return cls(user or getpass.getuser(), OPERATOR, case_ref=case_ref, reason=reason)

    def may(self, permission: Permission) -> bool:
        return may(self.role, permission)

    def consulting(self) -> Actor:
        """This actor, about to consult the data: ReasonRequired until a case reference and a
        reason are given. Checked before anything is read, so a refused search leaves no
        consultation in the log."""
        if not self.case_ref or not self.reason:
            raise ReasonRequired("give a case reference and a reason before searching (请先填写案件编号和查询事由)")
        return self

    def event(self, action: str, *, parameters: Mapping[str, Any] | None = None, **details: Any) -> AuditEvent:
        """The audit event of `action` by this actor; `details` are the event's other fields
        (outcome, message, rows, query_id)."""
        return AuditEvent(action=action, parameters=dict(parameters or {}), **details, **asdict(self))


def guard(
    audit: AuditLog,
    actor: Actor,
    permission: Permission,
    action: str,
    parameters: Mapping[str, Any] | None = None,
) -> None:
    """Raise AccessDenied unless the actor's role carries `permission`; a refusal is audited
    as `action` with the `parameters` asked for."""
    if actor.may(permission):
        return
    message = denial(actor.role, permission)
    audit.append(actor.event(action, outcome="refused", message=message, parameters=parameters))
    raise AccessDenied(message)
