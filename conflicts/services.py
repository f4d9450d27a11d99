"""What every entry point shares, made once and passed down: the store (and what pages share).

The domain (:mod:`conflicts.workshops`, :mod:`conflicts.reports`) never picks a database from
the environment: each function takes ``store=``. The CLI, the Streamlit router and the HTTP
routes each make ONE :class:`Services` (:meth:`Services.from_env`) and hand it down, so tests and
scripts can point everything at their own database.

>>> import tempfile
>>> from conflicts.store import Store
>>> services = Services(store=Store(f"sqlite:///{tempfile.mkdtemp()}/demo.db"))
>>> services.store.url.endswith("demo.db")
True
"""

from __future__ import annotations

from dataclasses import dataclass

from conflicts.store import Store, get_store

__all__ = ["Services"]


@dataclass(frozen=True)
class Services:
    """The store of this process (one engine per database URL, see :func:`get_store`)."""

    store: Store

    @classmethod
    def from_env(cls) -> Services:
        """The services of the environment (``CONFLICTS_DATABASE_URL`` / ``CONFLICTS_DATA_DIR``,
        see :mod:`conflicts.config`)."""
        return cls(store=get_store())
