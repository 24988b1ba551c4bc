"""The workbench entry point: resumes the signed-in session and declares the pages its role may open."""

import streamlit as st

from settings.home import OwnerOnlyError, owner_only_umask, private_home
from workbench import context, navigation, resources


def run() -> None:
    # Also when served by a plain `streamlit run`: uploads, rejects and the log are the owner's only.
    owner_only_umask()
    st.set_page_config(page_title="goldenbell 金钟罩", layout="wide")
    try:
        private_home(resources.workspace().settings.home)
    except OwnerOnlyError as exc:
        st.error(str(exc))
        st.stop()
    session = context.current_session()
    # The page calls context.require(), which takes this session rather than resuming it again.
    st.session_state[context.RESUMED_KEY] = session
    st.navigation(navigation.pages(session.role if session else None)).run()


run()
