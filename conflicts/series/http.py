"""The HTTP route of a series outside Streamlit: ``/series/projector`` -> ``/series_projector``.

Streamlit 1.67 refuses a page ``url_path`` with a ``/``, so the regional projector is the page
``series_projector`` and this route keeps the address ``/series/projector?id=S-...`` working
(a 307 redirect that keeps the query string).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route


async def _projector(request: Request) -> RedirectResponse:
    query = request.url.query
    # Relative, so that it also works when the app is served under a path prefix.
    target = "../series_projector" + (f"?{query}" if query else "")
    return RedirectResponse(target, status_code=307)


def routes() -> list[Route]:
    """The series' extra routes for ``st.App``."""
    return [Route("/series/projector", _projector, methods=["GET", "HEAD"])]
