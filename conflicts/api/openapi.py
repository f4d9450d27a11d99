"""The OpenAPI 3.1 description of the JSON API, generated from :mod:`conflicts.api.models`.

Stability rule (``info.version``, semantic versioning): within a major version, fields and
endpoints are only added, never removed or renamed, and error codes keep their meaning; a
client must ignore fields it does not know. A breaking change raises the major version.
"""

from __future__ import annotations

import functools

from pydantic.json_schema import models_json_schema

import conflicts.api.models as m

API_VERSION = "1.1.0"
_REF = "#/components/schemas/{model}"


def _ref(model) -> dict:
    return {"$ref": _REF.format(model=model.__name__)}


def _json(model, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(model)}}}


def _errors(*codes: int) -> dict:
    out = {str(c): _json(m.Error, "An error (see `error` for the stable code).") for c in codes}
    out["503"] = _json(m.Error, "The database is unavailable; nothing was written.")
    return out


_CODE = {
    "name": "code",
    "in": "path",
    "required": True,
    "description": "The workshop's join code, e.g. ACD347.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 32},
}
_LANG = {
    "name": "lang",
    "in": "query",
    "required": False,
    "description": "Language of titles and messages (else Accept-Language, else sv).",
    "schema": {"type": "string", "enum": ["sv", "en"]},
}
_VOTER = {
    "name": "X-Voter-Token",
    "in": "header",
    "required": False,
    "description": "The signed voter token, for clients without cookies (else the cookie).",
    "schema": {"type": "string"},
}


def _body(model) -> dict:
    return {"required": False, "content": {"application/json": {"schema": _ref(model)}}}


def _too_many(description: str) -> dict:
    return {
        **_json(m.Error, description),
        "headers": {
            "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}},
        },
    }


_PROBING = _too_many("Too many unknown join codes from this client lately: every code waits.")


@functools.cache
def document() -> dict:
    """The OpenAPI document (built once per process)."""
    _, defs = models_json_schema(
        [(model, "validation") for model in m.REQUESTS]
        + [(model, "serialization") for model in m.RESPONSES],
        ref_template=_REF,
    )
    paths = {
        "/api/workshops/{code}/state": {
            "get": {
                "operationId": "getState",
                "summary": "The public state of a workshop (long polling with `after`).",
                "parameters": [
                    _CODE,
                    _LANG,
                    {
                        "name": "after",
                        "in": "query",
                        "required": False,
                        "description": "Hold the answer until `revision` is past this one.",
                        "schema": {"type": "integer", "minimum": 0, "maximum": 2**62},
                    },
                    {
                        "name": "wait",
                        "in": "query",
                        "required": False,
                        "description": "Seconds to hold at most with `after` (default 25).",
                        "schema": {"type": "number", "minimum": 0, "maximum": 30},
                    },
                ],
                "responses": {
                    "200": _json(m.State, "The state."),
                    **_errors(404, 422),
                    "429": _PROBING,
                },
            }
        },
        "/api/workshops/{code}/revision": {
            "get": {
                "operationId": "getRevision",
                "summary": "Two counters: facilitator changes and ballots.",
                "parameters": [_CODE, _LANG],
                "responses": {
                    "200": _json(m.Revision, "The counters."),
                    **_errors(404),
                    "429": _PROBING,
                },
            }
        },
        "/api/workshops/{code}/participants": {
            "post": {
                "operationId": "join",
                "summary": "Join (idempotent per voter); sets the httpOnly voter cookie.",
                "parameters": [_CODE, _LANG, _VOTER],
                "requestBody": _body(m.JoinRequest),
                "responses": {
                    "200": _json(m.ParticipantOut, "The participant."),
                    **_errors(403, 404, 409, 413, 422),
                    "429": _PROBING,
                },
            }
        },
        "/api/workshops/{code}/ballots": {
            "post": {
                "operationId": "castBallot",
                "summary": "Cast or change a ballot; 200 only after the commit. Idempotent.",
                "parameters": [_CODE, _LANG, _VOTER],
                "requestBody": {**_body(m.BallotRequest), "required": True},
                "responses": {
                    "200": _json(m.BallotOut, "Stored."),
                    **_errors(403, 404, 409, 413, 422),
                    "429": _PROBING,
                },
            }
        },
        "/api/workshops/{code}/me": {
            "get": {
                "operationId": "me",
                "summary": "The caller's participant record (null before joining) and ballots.",
                "parameters": [_CODE, _LANG, _VOTER],
                "responses": {"200": _json(m.Me, "The caller."), **_errors(404), "429": _PROBING},
            }
        },
        "/api/workshops/{code}/pairs": {
            "get": {
                "operationId": "getPairs",
                "summary": "A matrix scoring session: the caller's next pairs to score.",
                "parameters": [
                    _CODE,
                    _LANG,
                    _VOTER,
                    {
                        "name": "item_id",
                        "in": "query",
                        "required": True,
                        "description": "The session's agenda item id.",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
                    },
                    {
                        "name": "n",
                        "in": "query",
                        "required": False,
                        "description": "How many pairs to deal at most (default 1).",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 20},
                    },
                ],
                "responses": {
                    "200": _json(m.Pairs, "The pairs (none once the quota is answered)."),
                    **_errors(404, 422),
                    "429": _PROBING,
                },
            }
        },
        "/api/workshops/{code}/pair-scores": {
            "post": {
                "operationId": "scorePair",
                "summary": "Score one pair of a matrix session; 200 only after the commit.",
                "parameters": [_CODE, _LANG, _VOTER],
                "requestBody": {**_body(m.PairScoreRequest), "required": True},
                "responses": {
                    "200": _json(m.PairScoreOut, "Stored."),
                    **_errors(403, 404, 409, 413, 422),
                    "429": _PROBING,
                },
            }
        },
        "/api/workshops/{code}/facilitator/step": {
            "post": {
                "operationId": "facilitatorStep",
                "summary": "Make an item current and open or close its voting.",
                "parameters": [_CODE, _LANG],
                "security": [{"facilitatorKey": []}],
                "requestBody": {**_body(m.StepRequest), "required": True},
                "responses": {
                    "200": _json(m.State, "The state after the step."),
                    **_errors(401, 403, 404, 409, 413, 422),
                    "429": _too_many("Too many wrong keys, or unknown codes, from this client."),
                },
            }
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Målkonflikt participant API",
            "version": API_VERSION,
            "description": __doc__.split("\n\n", 1)[1].strip()
            + "\n\nState-changing requests whose Origin (or Referer) names another site get 403 "
            "`cross_site`; requests with neither are judged by their cookie or key alone.",
        },
        "paths": paths,
        "components": {
            "schemas": defs["$defs"],
            "securitySchemes": {
                "facilitatorKey": {"type": "http", "scheme": "bearer"},
            },
        },
    }
