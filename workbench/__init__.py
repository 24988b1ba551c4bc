"""The Streamlit workbench: the app, its navigation, the pages (views/), their helpers and the map
component (frontend/)."""
