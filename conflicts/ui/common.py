"""Shared UI state: language, the catalogue in use, cached models.

The parsed catalogue, its graph, layout and metrics are shared by every session in the process
(``st.cache_resource``), so a rerun only renders.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

import networkx as nx
import streamlit as st

from conflicts import config
from conflicts.catalogue import (
    DEFAULT_CATALOGUE,
    Catalogue,
    bundled_catalogues,
    load_catalogue,
    parse_catalogue_bytes,
)
from conflicts.errors import CatalogueError
from conflicts.graph import build_graph
from conflicts.i18n import DEFAULT_LANGUAGE, LANGUAGES, normalise_language
from conflicts.layout import compute_layout
from conflicts.metrics import NodeMetrics, node_metrics
from conflicts.services import Services
from conflicts.store import get_store
from conflicts.ui import state

LANG_KEY = state.LANG
CATALOGUE_KEY = state.CATALOGUE
UPLOADS_KEY = state.UPLOADS


def app_services() -> Services:
    """THE services of this process, made once per database URL of the environment: the router
    hands them to every page and ``app.py`` to the HTTP routes, so pages and routes share one
    store. (Keyed by the URL so a test that points the environment elsewhere gets its own.)"""
    return _services_for(config.normalise_database_url(config.database_url()))


@functools.cache
def _services_for(url: str) -> Services:
    return Services(store=get_store(url))


@dataclass(frozen=True)
class Model:
    """A validated catalogue with everything derived from it, computed once."""

    key: str
    catalogue: Catalogue
    graph: nx.MultiDiGraph
    positions: dict[str, tuple[float, float]]
    metrics: dict[str, NodeMetrics]


def derive_model(key: str, catalogue: Catalogue) -> Model:
    """Graph, layout and metrics of ``catalogue``: computed once, then only rendered."""
    graph = build_graph(catalogue)
    return Model(key, catalogue, graph, compute_layout(catalogue), node_metrics(graph))


def catalogue_title(name: str, lang: str) -> str:
    """A bundled catalogue's title in ``lang`` (its file name if the file does not load), for
    pickers that would otherwise show file keys such as ``rufs2060``."""
    try:
        cat = bundled_model(name).catalogue
    except CatalogueError:
        return name
    return cat.text(cat.meta.title, lang) or name


@st.cache_resource(show_spinner=False)
def bundled_model(name: str) -> Model:
    """The model of a bundled catalogue (raises CatalogueError if the file is broken)."""
    return derive_model(name, load_catalogue(bundled_catalogues()[name]))


@st.cache_resource(show_spinner=False, max_entries=64)
def uploaded_model(digest: str, raw: bytes, filename: str) -> Model:
    """The model of an uploaded catalogue, keyed by content digest."""
    return derive_model(f"upload:{digest}", parse_catalogue_bytes(raw, filename))


def language() -> str:
    """The UI language of this session: the switch (bound to ``?lang=``), Swedish by default."""
    # Before the switch is drawn in this run, its bound query parameter is the truth.
    value = st.session_state.get(LANG_KEY) or st.query_params.get(LANG_KEY)
    return normalise_language(value or DEFAULT_LANGUAGE)


def language_switch(container=None) -> str:
    """A visible sv/en switch, bound to the ``?lang=`` query parameter.

    No format_func: in Streamlit 1.67 a bound widget with one does not read its query parameter.
    """
    target = container if container is not None else st
    target.segmented_control(
        "Språk / Language",
        LANGUAGES,
        default=DEFAULT_LANGUAGE,
        required=True,
        key=LANG_KEY,
        bind="query-params",
        label_visibility="collapsed",
    )
    return language()


def remember_upload(raw: bytes, filename: str) -> str:
    """Keep an uploaded (valid) catalogue in this session; return its key."""
    digest = hashlib.sha256(raw).hexdigest()[:16]
    st.session_state.setdefault(UPLOADS_KEY, {})[digest] = (raw, filename)
    return f"upload:{digest}"


def current_model() -> Model:
    """The catalogue the session uses: an upload, a bundled one (``?catalogue=``), or the default."""
    key = st.session_state.get(CATALOGUE_KEY) or st.query_params.get(CATALOGUE_KEY)
    if key and key.startswith("upload:"):
        upload = st.session_state.get(UPLOADS_KEY, {}).get(key.removeprefix("upload:"))
        if upload:
            return uploaded_model(key.removeprefix("upload:"), *upload)
        key = None
    if key not in bundled_catalogues():
        key = DEFAULT_CATALOGUE
    return bundled_model(key)


def use_catalogue(key: str) -> None:
    st.session_state[CATALOGUE_KEY] = key
    if key.startswith("upload:"):
        st.query_params.pop(CATALOGUE_KEY, None)
    else:
        st.query_params[CATALOGUE_KEY] = key
