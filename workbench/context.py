"""Who is acting and why: the one place pages learn it, and the gate before any consultation.

Every page calls `require()` first. It signs the user in (the login form, see
`workbench.signin`), resumes the server-side session on every run — so an idle or ended
session, a disabled account or a new role takes effect at the next click — checks the
page's permission, and asks for the case reference and reason before anything is
consulted. It returns an `Investigator`: user, role, case reference, reason and what the
session may see, which pages pass to every query run, audit event and display helper.

The browser holds only the session token (in Streamlit's per-tab session state); users,
roles, sessions and reasons live on the server (`access`).
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from access import REASONS, AccessDenied, ReasonRefused, Session, SessionEnded, reasons_for
from access.roles import DESCRIPTIONS, ROLES, Permission
from workbench import resources, signin
from workbench.investigator import Investigator
from workbench.messages import DEFAULT_LANGUAGE, LANGUAGE_KEY, LANGUAGES, message

TOKEN_KEY = signin.TOKEN_KEY
RESUMED_KEY = "gb_resumed"  # the session app.py resumed for this run, handed to the page
CHANGING_KEY = "gb_changing_reason"


def lang() -> str:
    value = st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, **values: object) -> str:
    """A message of the catalogue in the session's language."""
    return message(key, lang(), **values)


def cut_off(outcome: Any) -> str:
    """The warning for a result cut off at the row cap or at the result size cap."""
    if outcome.over_bytes:
        return t("common.truncated_bytes", mb=f"{outcome.byte_cap / (1 << 20):g}")
    return t("common.truncated", cap=outcome.row_cap)


def role_name(role: str, language: str | None = None) -> str:
    found = ROLES.get(role)
    return found.title(language or lang()) if found else role


# --- the session -----------------------------------------------------------------------


def current_session() -> Session | None:
    """The signed-in session, resumed now (idle clock restarted, role read fresh); None when
    there is none. A session that ended or expired is forgotten here, with a notice for the
    login form. Draws nothing, so app.py can call it before the navigation exists."""
    token = st.session_state.get(TOKEN_KEY)
    if not token:
        return None
    try:
        return resources.workspace().sessions.resume(token)
    except SessionEnded as exc:
        end_tab(notice=str(exc))
        return None


def end_tab(*, notice: str | None = None) -> None:
    """Forget everything this browser tab held: the token, results, the map, widget values.
    The language stays: it is the tab's, not the user's."""
    for key in list(st.session_state):
        if key != LANGUAGE_KEY:
            del st.session_state[key]
    if notice:
        st.session_state[signin.NOTICE_KEY] = notice


def _signed_in() -> Session:
    """The session app.py resumed for this run, or one resumed here (a page run alone);
    the login form and st.stop() when nobody is signed in."""
    session = st.session_state.pop(RESUMED_KEY, None)
    if not isinstance(session, Session) or session.token != st.session_state.get(TOKEN_KEY):
        session = current_session()
    if session is None:
        signin.login_form(resources.workspace().sessions, lang())
        st.stop()
    return session


def sign_out(session: Session) -> None:
    resources.workspace().sessions.logout(session.token)
    end_tab()
    signin.sso_logout(session)
    st.rerun()


# --- drawing ---------------------------------------------------------------------------


LANGUAGE_CHOICE_KEY = "gb_lang_choice"


def _language_switch() -> None:
    """The language radio. Streamlit forgets a widget's value when another page draws "the
    same" widget (a widget's identity includes its page), so the choice is kept under
    LANGUAGE_KEY, a plain session value, and the radio starts from it on every page."""
    st.session_state[LANGUAGE_CHOICE_KEY] = lang()
    st.sidebar.radio(
        message("ctx.language"),
        LANGUAGES,
        format_func=lambda code: "中文" if code == "zh" else "English",
        key=LANGUAGE_CHOICE_KEY,
        horizontal=True,
        on_change=_keep_language,
    )


def _keep_language() -> None:
    """The tab takes the choice at once; a signed-in user keeps it for their next sign-in too."""
    chosen = st.session_state[LANGUAGE_CHOICE_KEY]
    st.session_state[LANGUAGE_KEY] = chosen
    session = current_session()
    if session is not None:
        resources.workspace().sessions.preferences.set(session.user, "language", chosen)


def _account(session: Session) -> None:
    """Who is signed in, the reason in force, and the buttons to change it or sign out.
    Plain text: the name and the case reference are typed by people, never read as markup."""
    name = session.display_name or session.user
    st.sidebar.text(t("ctx.account", user=name, role=role_name(session.role)))
    purpose = session.purpose
    if purpose is not None:
        st.sidebar.text(t("ctx.header", case_ref=purpose.case_ref, reason=purpose.title(lang())))
        if st.sidebar.button(t("ctx.change"), key="gb_change_reason"):
            st.session_state[CHANGING_KEY] = True
    if st.sidebar.button(t("ctx.logout"), key="gb_logout"):
        sign_out(session)


def _reason_gate(session: Session) -> None:
    """The case reference and coded reason, recorded on the server session (`reason.set`)."""
    st.subheader(t("ctx.gate_title"))
    st.caption(t("ctx.gate_help"))
    codes = [reason.code for reason in reasons_for(session.role)]
    with st.form("gb_reason_gate"):
        case_ref = st.text_input(t("ctx.case_ref"), key="gb_case_ref_input", max_chars=64)
        code = st.selectbox(
            t("ctx.reason"), codes, format_func=lambda c: REASONS[c].title(lang()), key="gb_reason_input"
        )
        note = st.text_input(t("ctx.note"), key="gb_reason_note", max_chars=200)
        submitted = st.form_submit_button(t("ctx.start"), type="primary")
    if session.purpose is not None and st.button(t("ctx.cancel"), key="gb_reason_cancel"):
        st.session_state.pop(CHANGING_KEY, None)
        st.rerun()
    if submitted:
        try:
            resources.workspace().sessions.set_reason(session.token, case_ref, code, note)
        except ReasonRefused as exc:
            signin.say_error(str(exc))
            return
        except SessionEnded as exc:
            end_tab(notice=str(exc))
            st.rerun()
        st.session_state.pop(CHANGING_KEY, None)
        st.rerun()


def _denied(session: Session, permission: Permission, page: str) -> None:
    try:
        resources.workspace().sessions.guard(session, permission, "page.open", {"page": page})
    except AccessDenied:
        # The refusal's own text is the audit log's (both languages in one line); the page says
        # it in the language chosen.
        zh, en = DESCRIPTIONS[permission]
        signin.say_error(t("ctx.denied", role=role_name(session.role), what=en if lang() == "en" else zh))
        st.stop()


def require(permission: Permission | None = Permission.SEARCH, *, page: str = "") -> Investigator:
    """Who is acting and why. Stops the page at the login form until someone is signed in,
    with a (recorded) refusal when the role lacks `permission`, and at the reason gate until
    a case reference and reason are given."""
    _language_switch()
    session = _signed_in()
    _account(session)
    if permission is not None and not session.may(permission):
        _denied(session, permission, page)
    if session.purpose is None or st.session_state.get(CHANGING_KEY):
        _reason_gate(session)
        st.stop()
    return Investigator.from_session(session, lang())


def in_fragment_rerun() -> bool:
    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.fragment_ids_this_run)


def rerun_part() -> None:
    """Run again the fragment this runs in, when it runs alone; else the whole page."""
    st.rerun(scope="fragment" if in_fragment_rerun() else "app")


def still_acting(investigator: Investigator, permission: Permission = Permission.SEARCH) -> Investigator:
    """For a fragment's own rerun, which skips the page's `require()`: the session resumed
    again, so an idle or ended session, a new role or a withdrawn reason takes effect at the
    next click there too (the whole page reruns and stops at the login or the reason gate).
    In a whole-page run `require()` has just done this: the investigator is returned as is."""
    if not in_fragment_rerun():
        return investigator
    session = current_session()
    if session is None or session.purpose is None or not session.may(permission):
        st.rerun(scope="app")
    return Investigator.from_session(session, lang())
