"""Helpers shared by the tests: a facilitator grant and the store of the environment."""

from __future__ import annotations

from conflicts import workshops as ws
from conflicts.services import Services
from conflicts.store import Store


def grant_for(ref: ws.WorkshopRef, store: Store) -> ws.FacilitatorGrant:
    """The facilitator grant of a workshop, as the trusted CLI gets it (tests hold the database;
    the key check itself is tested with :func:`conflicts.workshops.unlock`)."""
    return ws.local_grant(ref, store=store)


def env_store() -> Store:
    """The store the app's pages use (``CONFLICTS_DATABASE_URL`` from the ``database`` fixture)."""
    return Services.from_env().store
