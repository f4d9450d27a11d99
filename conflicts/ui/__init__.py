"""The web UI: the only package that imports Streamlit."""
