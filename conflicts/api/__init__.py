"""The public JSON API for phones, scripts and load tools (plain Starlette, no Streamlit).

===========================================  ==================================================
``GET  /api/workshops/CODE/state``            public state; ``?after=REV`` long-polls
``GET  /api/workshops/CODE/revision``         two counters (kept for older pages and tools)
``POST /api/workshops/CODE/participants``     join; sets the signed, httpOnly voter cookie
``POST /api/workshops/CODE/ballots``          cast/change a ballot; 200 only after the commit
``GET  /api/workshops/CODE/me``               the caller's participant record and ballots
``GET  /api/workshops/CODE/pairs``            a matrix session: the caller's next pairs
``POST /api/workshops/CODE/pair-scores``      a matrix session: score a pair; 200 after commit
``POST /api/workshops/CODE/facilitator/step`` ``Authorization: Bearer KEY``: current item+voting
``GET  /api/openapi.json``                    OpenAPI 3.1, generated from the pydantic models
===========================================  ==================================================

Errors are ``{"error": CODE, "message": TEXT}`` (4xx, or 503 during a database outage), the
message in the request's language. See :mod:`conflicts.api.openapi` for the stability rule.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from conflicts.api import endpoints as e
from conflicts.api import pairs as p
from conflicts.api.openapi import API_VERSION, document

__all__ = ["API_VERSION", "REVISION_ROUTE", "routes"]

BASE = "/api/workshops/{code}"
REVISION_ROUTE = BASE + "/revision"


async def openapi_endpoint(request: Request) -> JSONResponse:
    return JSONResponse(document())


def routes() -> list[BaseRoute]:
    """The API's routes, for ``st.App(routes=...)``."""
    return [
        Route(BASE + "/state", e.state_endpoint, methods=["GET"]),
        Route(REVISION_ROUTE, e.revision_endpoint, methods=["GET"]),
        Route(BASE + "/participants", e.participants_endpoint, methods=["POST"]),
        Route(BASE + "/ballots", e.ballots_endpoint, methods=["POST"]),
        Route(BASE + "/me", e.me_endpoint, methods=["GET"]),
        Route(BASE + "/pairs", p.pairs_endpoint, methods=["GET"]),
        Route(BASE + "/pair-scores", p.pair_scores_endpoint, methods=["POST"]),
        Route(BASE + "/facilitator/step", e.step_endpoint, methods=["POST"]),
        Route("/api/openapi.json", openapi_endpoint, methods=["GET"]),
    ]
