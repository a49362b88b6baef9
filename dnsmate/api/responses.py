"""The statuses and bodies routes declare in /openapi.json, in one place.

``fan_out_responses`` is what every fan-out write answers (see ``schemas/outcomes.py``):
its success model, 207 and 202 with its partial model, and the failure bodies. Errors of
the API's exception handler (``ErrorBody``) can answer the same 404/409/422, and FastAPI's
request validation another 422, so those statuses list each possible body.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from dnsmate.schemas.compat import PdnsError
from dnsmate.schemas.outcomes import ErrorBody, Failed, HTTPErrorBody, RequestInvalid, RolledBack

Responses = dict[int | str, dict[str, Any]]


# Authenticated routes: no or a bad token (401), a role or token scope that does not allow
# this (403).
AUTH_RESPONSES: Responses = {
    401: {"model": HTTPErrorBody, "description": "Not authenticated"},
    403: {"model": ErrorBody, "description": "Not allowed for this user or API token"},
}


# The PowerDNS-compatible API: every failure is PowerDNS's ``{"error": "..."}``. A wrong
# key (401), a role or token scope that does not allow it (403), an unknown zone or object
# (404), an invalid request or one every server refused (422), and what PowerDNS answers
# 400, 409 and 500 for (a body that is no JSON, an existing zone, all servers failing).
COMPAT_RESPONSES: Responses = {
    status: {"model": PdnsError, "description": description}
    for status, description in (
        (400, "The body is not JSON"),
        (401, "No or a wrong API key (a DNSMate API token)"),
        (403, "Not allowed for this API token"),
        (404, "No such zone or object"),
        (409, "Conflict with the current data (the zone exists)"),
        (422, "Invalid input, or refused by every PowerDNS server"),
        (500, "Failed on every PowerDNS server"),
    )
}


def error_responses(*statuses: int) -> Responses:
    """``ErrorBody`` (and for 422 also FastAPI's validation body) for each status."""
    out: Responses = {}
    for status in statuses:
        model: Any = ErrorBody | RequestInvalid if status == 422 else ErrorBody
        out[status] = {"model": model}
    return out


def fan_out_responses(success: Any, partial: type[BaseModel], *, status: int = 200) -> Responses:
    """What a fan-out write route answers: ``status`` with ``success``, 207/202 with
    ``partial``, 400 (failed everywhere, or rolled back), and 404/409/422 when every server
    failed with that data error (or the request was refused before any server).

    ``success`` may be a union: a route with ``dry_run`` answers its plan with the same 200.
    """
    return {
        status: {"model": success, "description": "Applied on every target server"},
        207: {"model": partial, "description": "Applied on some target servers only"},
        202: {"model": partial, "description": "Applied nowhere yet, queued for some servers"},
        400: {
            "model": Failed | RolledBack,
            "description": "Failed on every server, or undone by the rollback policy",
        },
        404: {"model": Failed | ErrorBody, "description": "No such zone (or record)"},
        409: {"model": Failed | ErrorBody, "description": "Conflict with the current data"},
        422: {
            "model": Failed | ErrorBody | RequestInvalid,
            "description": "Invalid input, or rejected by every server",
        },
    }
