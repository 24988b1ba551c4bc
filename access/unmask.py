"""Unmasking one entity: a deliberate, audited act.

A role without the right to see ID numbers and phones in full (see roles.py) may still
reveal one entity's, when the work needs it: the role must carry UNMASK, the session
must have a case reference and reason, and the audit entry is written before the
grant exists. The grant lasts as long as the session.
"""

from __future__ import annotations

import re

from access.errors import AccessError
from access.roles import Permission
from access.sessions import Session, Sessions

# Label:key, as queries.subgraph writes entity references.
_ENTITY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*:\S.{0,199}")


def unmask(sessions: Sessions, session: Session, entity: str) -> Session:
    """The session with `entity` (e.g. 'Person:330402199001011234') unmasked; AccessDenied
    (audited) when the role may not, ReasonRequired when no reason was given."""
    sessions.guard(session, Permission.UNMASK, "unmask", {"entity": entity})
    actor = session.actor.consulting()  # a reason first, as for any consultation
    if not _ENTITY.fullmatch(entity or ""):
        raise AccessError(f"{entity!r} is not an entity reference (Label:key)")
    sessions.audit.append(actor.event("unmask", parameters={"entity": entity}, rows=1))
    return sessions.grant_unmasked(session, entity)
