"""The workbench pages, one render function each. Not named `pages/`: Streamlit treats a `pages/`
folder beside the entry script as a legacy multipage app, which fights `st.navigation`."""
