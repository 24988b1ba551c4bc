"""The workbench entry point: resumes the signed-in session and declares the pages its role may open."""

import streamlit as st

from workbench import context, navigation


def run() -> None:
    st.set_page_config(page_title="goldenbell 金钟罩", layout="wide")
    session = context.current_session()
    # The page calls context.require(), which takes this session rather than resuming it again.
    st.session_state[context.RESUMED_KEY] = session
    st.navigation(navigation.pages(session.role if session else None)).run()


run()
