"""Who is acting and why, as every page, query run, audit event and display helper takes it.

An `Investigator` is built from the signed-in server-side session (access) by
`workbench.context.require()`; it holds no Streamlit state, so library code can take it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from access import Actor, ReasonForAccess, ReasonRefused, Session, Visibility
from access.audit.log import AuditEvent
from access.roles import Permission, may, sees_sensitive
from workbench.messages import DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Investigator:
    user: str
    role: str
    case_ref: str
    reason: str  # the reason code, with an optional ': note'
    lang: str = DEFAULT_LANGUAGE
    session_id: str = ""  # the session's public id, as the audit log knows it
    unmasked: frozenset[str] = frozenset()  # entities unmasked in this session (Label:key)
    display_name: str = ""
    session: Session | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_session(cls, session: Session, lang: str = DEFAULT_LANGUAGE) -> Investigator:
        return cls(
            user=session.user,
            role=session.role,
            case_ref=session.case_ref,
            reason=session.reason,
            lang=lang,
            session_id=session.id,
            unmasked=session.unmasked,
            display_name=session.display_name,
            session=session,
        )

    @property
    def sees_sensitive(self) -> bool:
        return sees_sensitive(self.role)

    @property
    def visibility(self) -> Visibility:
        return Visibility(self.sees_sensitive, self.unmasked)

    def may(self, permission: Permission) -> bool:
        return may(self.role, permission)

    @property
    def actor(self) -> Actor:
        """The acting user every audited call takes; `actor.consulting()` before reading data
        (ReasonRequired until a case reference and a reason are given)."""
        return Actor(self.user, self.role, self.session_id, self.case_ref, self.reason)

    @property
    def reason_text(self) -> str:
        try:
            return ReasonForAccess.from_recorded(self.case_ref, self.reason).title(self.lang)
        except ReasonRefused:
            return self.reason

    def event(self, action: str, **details) -> AuditEvent:
        """An audit event for something this investigator did (an export, an import, …);
        ReasonRequired, like any consultation, until a case reference and a reason are given."""
        return self.actor.consulting().event(action, **details)
