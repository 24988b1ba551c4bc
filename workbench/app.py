"""The workbench entry point: declares the pages and nothing else."""

import streamlit as st

from workbench.pages import status


def run() -> None:
    st.set_page_config(page_title="goldenbell 金钟罩", layout="wide")
    page = st.navigation([st.Page(status.render, title="数据库状态 Database", url_path="status", default=True)])
    page.run()


run()
