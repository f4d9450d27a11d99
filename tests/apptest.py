"""Helpers for Streamlit AppTest page tests (the ``database`` fixture is in conftest.py)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

TIMEOUT = 60
#: A page's render() as the router calls it (the workshop pages get the process's services).
PAGE_SCRIPT = """
import inspect
from conflicts.ui.common import app_services
from conflicts.ui.pages import {name}
if inspect.signature({name}.render).parameters:
    {name}.render(app_services())
else:
    {name}.render()
"""


def page(name: str, **query: str) -> AppTest:
    """An AppTest running one page's render() (pages are functions behind st.navigation)."""
    at = AppTest.from_string(PAGE_SCRIPT.format(name=name), default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    return at


def param(at: AppTest, name: str) -> str:
    """A query parameter of the page's URL (AppTest may hold it as a list)."""
    value = at.query_params[name]
    return value[0] if isinstance(value, list) else value
