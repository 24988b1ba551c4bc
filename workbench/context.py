"""Who is acting and why: the one place pages learn it, and the gate before any consultation.

Every page calls `require()` first. It returns an `Investigator` — user, role, case
reference, reason — that pages pass to every query run, audit event and display
helper. Today the user is the workbench process's login name and the role is
DEFAULT_ROLE; real login, users and roles replace `_identity()` and
`ROLES_SEEING_SENSITIVE` without any page changing.
"""

from __future__ import annotations

import getpass
import re
from dataclasses import dataclass

import streamlit as st

from workbench.messages import DEFAULT_LANGUAGE, LANGUAGE_KEY, LANGUAGES, MESSAGES, message

# Coded reasons: the audit log records the code, the workbench shows the words.
REASONS = (
    "case_investigation",
    "alert_verification",
    "fugitive_search",
    "intelligence_analysis",
    "data_quality",
)
DEFAULT_ROLE = "analyst"
# Roles allowed to see citizen ID numbers and phone numbers unmasked.
ROLES_SEEING_SENSITIVE = frozenset({"supervisor"})

PURPOSE_KEY = "gb_purpose"  # {"case_ref": …, "reason": …} once the gate is passed
USER_KEY = "gb_user"
ROLE_KEY = "gb_role"
_CASE_REF = re.compile(r"[\w\-/]{2,64}")


@dataclass(frozen=True)
class Investigator:
    user: str
    role: str
    case_ref: str
    reason: str  # a code from REASONS
    lang: str = DEFAULT_LANGUAGE

    @property
    def sees_sensitive(self) -> bool:
        return self.role in ROLES_SEEING_SENSITIVE

    @property
    def reason_text(self) -> str:
        return message(f"reason.{self.reason}", self.lang)

    def audit_fields(self) -> dict[str, str]:
        """What `Runner.run` and `AuditEvent` take about the person and the purpose."""
        return {"user": self.user, "case_ref": self.case_ref, "reason": self.reason}


def lang() -> str:
    value = st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, **values: object) -> str:
    """A message of the catalogue in the session's language."""
    return message(key, lang(), **values)


def valid_case_ref(text: str) -> bool:
    return bool(_CASE_REF.fullmatch(text.strip()))


def _identity() -> tuple[str, str]:
    """THE SEAM for access control: who is signed in and with which role.

    For now: the login name of the workbench process and DEFAULT_ROLE. Login, users and
    roles replace this function (and ROLES_SEEING_SENSITIVE); nothing else changes.
    """
    user = st.session_state.get(USER_KEY) or getpass.getuser()
    role = st.session_state.get(ROLE_KEY) or DEFAULT_ROLE
    return str(user), str(role)


def _language_switch() -> None:
    st.sidebar.radio(
        message("ctx.language"),
        LANGUAGES,
        format_func=lambda code: "中文" if code == "zh" else "English",
        key=LANGUAGE_KEY,
        horizontal=True,
    )


def _reason_gate() -> None:
    st.subheader(t("ctx.gate_title"))
    st.caption(t("ctx.gate_help"))
    with st.form("gb_reason_gate"):
        case_ref = st.text_input(t("ctx.case_ref"), key="gb_case_ref_input", max_chars=64)
        reason = st.selectbox(
            t("ctx.reason"), REASONS, format_func=lambda code: t(f"reason.{code}"), key="gb_reason_input"
        )
        submitted = st.form_submit_button(t("ctx.start"))
    if submitted:
        if valid_case_ref(case_ref):
            st.session_state[PURPOSE_KEY] = {"case_ref": case_ref.strip(), "reason": reason}
            st.rerun()
        st.error(t("ctx.bad_case_ref"))


def require() -> Investigator:
    """Who is acting and why; stops the page at the reason gate until both are given."""
    _language_switch()
    user, role = _identity()
    purpose = st.session_state.get(PURPOSE_KEY)
    if not purpose:
        _reason_gate()
        st.stop()
    investigator = Investigator(
        user=user, role=role, case_ref=purpose["case_ref"], reason=purpose["reason"], lang=lang()
    )
    role_name = message(f"role.{role}", investigator.lang) if f"role.{role}" in MESSAGES else role
    # Plain text: the case reference is typed by the user and must not be read as markup.
    st.sidebar.text(
        t("ctx.header", user=user, role=role_name, case_ref=investigator.case_ref, reason=investigator.reason_text)
    )
    if st.sidebar.button(t("ctx.change"), key="gb_change_reason"):
        del st.session_state[PURPOSE_KEY]
        st.rerun()
    return investigator
