"""The one place the API and the phone page reach the domain and the database.

Every call passes ``store=`` explicitly. The facilitator's key check and actions are in
:func:`facilitator_step` only, so that switching them to grants (``unlock``) is one change.
"""

from __future__ import annotations

from conflicts import workshops as ws
from conflicts.identity import VoterSigner, voter_signer
from conflicts.store import Store, get_store

__all__ = ["facilitator_step", "signer", "store"]


def store() -> Store:
    """The process's store (``CONFLICTS_DATABASE_URL`` / ``CONFLICTS_DATA_DIR``).

    :func:`conflicts.store.get_store` keeps one per URL and process, so this is the same store as
    the Streamlit pages' :func:`conflicts.ui.common.app_services` (which the API must not import).
    """
    return get_store()


def signer() -> VoterSigner:
    """The signer of voter tokens for :func:`store`'s database."""
    return voter_signer(store())


def facilitator_step(code: str, key: str | None, item_id: int | None, voting: str | None):
    """What N/V do on the console, for a remote: check ``key``, open a draft workshop, make
    ``item_id`` current (None: the overview) and open/close its voting.

    Returns the workshop after the change. Raises :class:`~conflicts.workshop.AccessDenied`
    for a wrong key, the domain's errors otherwise (nothing changed by a refused step)."""
    s = store()
    grant = ws.unlock(code, key or "", store=s)  # AccessDenied for a wrong or missing key
    if voting is not None and item_id is None:
        raise ws.UnknownItem("voting needs an item", item_id=None)
    w = ws.get_workshop(code, store=s)
    if item_id is not None and w.item(item_id) is None:  # checked before anything changes
        raise ws.UnknownItem(f"no agenda item {item_id!r}", item_id=item_id)
    if w.status == "draft":
        w = ws.open_workshop(grant, store=s)
    if w.current_item_id != item_id:
        w = ws.set_current_item(grant, item_id, store=s)
    if item_id is not None and voting is not None and w.item(item_id).voting != voting:
        change = ws.open_voting if voting == "open" else ws.close_voting
        w = change(grant, item_id, store=s)
    return w
