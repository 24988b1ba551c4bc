"""Who acts, in which role and for what purpose: the fields every audit entry carries.

A workbench session turns into an Actor for each action; a command-line run is the
`operator` (the server account, recorded with its login name).
"""

from __future__ import annotations

import getpass
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from access.audit.log import AuditEvent, AuditLog
from access.errors import AccessDenied
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

    def event(
        self,
        action: str,
        *,
        outcome: str = "ok",
        message: str = "",
        parameters: Mapping[str, Any] | None = None,
        rows: int | None = None,
        query_id: str = "",
    ) -> AuditEvent:
        return AuditEvent(
            user=self.user,
            role=self.role,
            session=self.session,
            action=action,
            outcome=outcome,
            message=message,
            parameters=dict(parameters or {}),
            rows=rows,
            query_id=query_id,
            reason=self.reason,
            case_ref=self.case_ref,
        )


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
