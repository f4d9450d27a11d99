"""The participants' phone page at ``/join?code=CODE``: a light, server-rendered page served by
the app's own routes (no Streamlit session per phone).

It works without JavaScript (plain forms, POST-redirect-GET) and better with it
(``static/phone.js``: ballots through the JSON API with retries, following the facilitator by
long polling; ``static/htmx-2.0.11.min.js``, vendored from the npm package ``htmx.org`` 2.0.11,
BSD Zero Clause licence, swaps the proposal form in place). Templates are Jinja2 with
autoescaping: every participant's or facilitator's text is escaped.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from conflicts.phone import views

__all__ = ["routes"]


def routes() -> list[BaseRoute]:
    """The phone page's routes (answered before Streamlit's page shell)."""
    return [
        Route("/join", views.throttled(views.page), methods=["GET"]),
        Route("/join/live", views.throttled(views.live), methods=["GET"]),
        Route("/join/participants", views.throttled(views.post_join), methods=["POST"]),
        Route("/join/ballots", views.throttled(views.post_ballot), methods=["POST"]),
        Route("/join/pairs", views.throttled(views.post_pair), methods=["POST"]),
        Route("/join/proposals", views.throttled(views.post_proposal), methods=["POST"]),
        Mount("/join/static", StaticFiles(directory=views.STATIC), name="phone-static"),
    ]
