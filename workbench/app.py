"""The workbench entry point: declares the pages and nothing else."""

import streamlit as st

from workbench import navigation


def run() -> None:
    st.set_page_config(page_title="goldenbell 金钟罩", layout="wide")
    st.navigation(navigation.pages()).run()


run()
