"""The login form: a user name and password checked by `Sessions.authenticate`, and, when
Streamlit's OIDC login is configured, single sign-on mapped to a goldenbell user.

The form only collects what was typed and hands it to the server side; every attempt,
refused or not, is audited there before the answer comes back. The browser keeps the
session token in this tab's session state and nothing else.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping

import streamlit as st

from access import LoginRefused, Session, Sessions
from workbench import resources
from workbench.display import md_escape
from workbench.messages import LANGUAGE_KEY, message

TOKEN_KEY = "gb_token"
NOTICE_KEY = "gb_login_notice"  # why the last session ended, shown above the form
SSO_REFUSED_KEY = "gb_sso_refused"  # an identity the provider vouched for but goldenbell refused
SSO_PROVIDER = "oidc"


def say_error(text: str) -> None:
    """An error box whose text is shown as typed, never as Markdown."""
    st.error(md_escape(text))


def sso_providers() -> list[str]:
    """The OIDC providers configured in Streamlit's secrets (`[auth]`, or one `[auth.<name>]`
    table each); "" stands for the single unnamed provider. Empty when single sign-on is not
    configured, or when Authlib, which `st.login` needs, is not installed."""
    if not st.secrets.load_if_toml_exists():
        return []
    auth = st.secrets.get("auth")
    if not isinstance(auth, Mapping) or importlib.util.find_spec("authlib") is None:
        return []
    if "client_id" in auth:
        return [""]
    return [name for name, value in auth.items() if isinstance(value, Mapping)]


def _sso_session(sessions: Sessions, lang: str) -> Session | None:
    """A session for the identity the provider established, once per tab; None (with the
    refusal shown) when it maps to no enabled user."""
    refused = st.session_state.get(SSO_REFUSED_KEY)
    if refused is None:
        name = st.user.get(resources.workspace().settings.sso_claim)
        try:
            return sessions.authenticate_external(str(name or ""), provider=SSO_PROVIDER)
        except LoginRefused as exc:
            refused = st.session_state[SSO_REFUSED_KEY] = str(exc)
    say_error(refused)
    if st.button(message("login.sso_leave", lang), key="gb_sso_leave"):
        st.session_state.pop(SSO_REFUSED_KEY, None)
        st.logout()
    return None


def sso_logout(session: Session) -> None:
    """End the provider's sign-in in this browser too, or the next run would sign in again."""
    if session.via.startswith("sso:") and sso_providers() and st.user.is_logged_in:
        st.logout()


def login_form(sessions: Sessions, lang: str) -> None:
    """Draw the login form; on success the token goes into the tab's state and the app reruns."""
    providers = sso_providers()
    st.title("金钟罩 goldenbell")
    if providers and st.user.is_logged_in:
        session = _sso_session(sessions, lang)
        if session is not None:
            _signed_in(sessions, session)
        return
    st.subheader(message("login.title", lang))
    st.caption(message("login.help", lang))
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.info(md_escape(notice))
    # Cleared on submit: the password does not stay in the tab's state.
    with st.form("gb_login", clear_on_submit=True):
        name = st.text_input(message("login.user", lang), key="gb_login_user", max_chars=64)
        password = st.text_input(message("login.password", lang), type="password", key="gb_login_password")
        sent = st.form_submit_button(message("login.button", lang), type="primary")
    for provider in providers:
        if st.button(message("login.sso", lang, provider=provider or "OIDC"), key=f"gb_sso_{provider}"):
            st.login(provider or None)
    if not sent:
        return
    if not name.strip():
        say_error(message("login.blank", lang))  # nobody tried to sign in: nothing to record
        return
    try:
        session = sessions.authenticate(name, password)
    except LoginRefused as exc:
        say_error(str(exc))
        return
    _signed_in(sessions, session)


def _signed_in(sessions: Sessions, session: Session) -> None:
    """The token into the tab's state, the user's own language over the tab's, and a rerun."""
    st.session_state[TOKEN_KEY] = session.token
    chosen = sessions.preferences.get(session.user, "language")
    if chosen is not None:
        st.session_state[LANGUAGE_KEY] = chosen
    st.rerun()
