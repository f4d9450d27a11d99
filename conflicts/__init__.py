"""Målkonflikt: goal-conflict workshops for regional development plans.

The domain (catalogue, graph, metrics, workshops, store, report) is plain Python; only
``conflicts.ui`` imports Streamlit.
"""

__version__ = "0.1.0"
