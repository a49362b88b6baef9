"""The compatibility API's one error translation: PowerDNS-style ``{"error": "..."}`` bodies.

Every compat route uses ``CompatRoute``, which turns whatever a handler or dependency
raises (domain and PowerDNS errors, FastAPI's validation and HTTP errors) into the status
and body PowerDNS 4.7 would answer, so PowerDNS clients parse DNSMate's errors unchanged.
A multi-server write maps to one PowerDNS answer in ``write_response``; the per-server
outcome (and what the partial-failure policy did) travels in the ``X-DNSMate-Servers``
header.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Collection, Coroutine
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from dnsmate.powerdns import errors as pdns
from dnsmate.schemas.outcomes import CompatServerOutcome
from dnsmate.services import errors as domain
from dnsmate.services.write.multi_powerdns import MultiPowerDNSResult, ServerResult
from dnsmate.services.write.outcome import WriteOutcome
from dnsmate.status import COMPAT_UNKNOWN_ERROR, compat_message, fan_out_rule, rule_for

log = logging.getLogger(__name__)

SERVERS_HEADER = "X-DNSMate-Servers"


class CompatError(Exception):
    """An answer in PowerDNS's form, raised by compat routes and dependencies."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def translate(exc: Exception) -> Response:
    """The PowerDNS-style answer for an exception raised while serving a compat request."""
    if isinstance(exc, CompatError):
        return error_response(exc.status, exc.message)
    if isinstance(exc, domain.InvalidInput):
        return error_response(422, exc.reason if exc.field == "body" else str(exc))
    if isinstance(exc, RequestValidationError):
        if any(e.get("type") == "json_invalid" for e in exc.errors()):
            return error_response(400, "Bad Request")
        return error_response(422, "; ".join(str(e.get("msg")) for e in exc.errors()))
    if isinstance(exc, HTTPException):
        return error_response(exc.status_code, str(exc.detail))
    rule = rule_for(exc)
    if rule is not None:
        return error_response(rule.compat_status, compat_message(rule, str(exc)))
    if isinstance(exc, domain.DNSMateError | pdns.PowerDNSError):
        log.warning("PowerDNS-compatible request failed: %s", exc)
        return error_response(COMPAT_UNKNOWN_ERROR, str(exc))
    raise exc


def _as_json(request: Request) -> Request:
    """The request with its body declared JSON: PowerDNS parses every body as JSON, whatever
    its ``Content-Type`` (curl sends ``application/x-www-form-urlencoded`` by default) and
    without one (FastAPI would pass that body on as bytes)."""
    content_type = request.headers.get("content-type", "")
    if "json" in content_type.split(";")[0]:
        return request
    headers = [(k, v) for k, v in request.scope["headers"] if k != b"content-type"]
    scope = {**request.scope, "headers": [*headers, (b"content-type", b"application/json")]}
    return Request(scope, request.receive)


class CompatRoute(APIRoute):
    """A route whose failures are answered the way PowerDNS answers them, and whose request
    body is JSON whatever its declared content type."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(_as_json(request))
            except Exception as exc:  # translate() re-raises what it does not know
                return translate(exc)

        return handle


def servers_header(
    results: list[ServerResult[Any]],
    *,
    queued: Collection[str] = (),
    rolled_back: Collection[str] = (),
) -> dict[str, str]:
    """Per-server results as compact ASCII JSON, for the ``X-DNSMate-Servers`` header.

    ``queued`` marks a server the change is stored for (replayed when it is back, under the
    ``retry`` policy); ``rolled_back`` one restored under the ``rollback`` policy.
    """
    public = [
        CompatServerOutcome(
            **r.public(), queued=r.server in queued, rolled_back=r.server in rolled_back
        ).model_dump()
        for r in results
    ]
    return {SERVERS_HEADER: json.dumps(public, separators=(",", ":"), ensure_ascii=True)}


def failure_response(
    result: MultiPowerDNSResult[Any],
    *,
    headers: dict[str, str] | None = None,
    rollback_errors: list[str] | None = None,
) -> Response:
    """The change does not stand: PowerDNS's status when every server failed with the same
    data error, else 500 (with the rollback errors when the change was rolled back)."""
    headers = headers if headers is not None else servers_header(result.results)
    failed = result.failed_servers
    if rollback_errors is not None:
        return error_response(
            COMPAT_UNKNOWN_ERROR,
            f"Failed on {len(failed)}/{len(result.results)} PowerDNS servers "
            f"and rolled back: " + "; ".join(failed + rollback_errors),
            headers,
        )
    rule = fan_out_rule(result)
    if rule is not None:
        message = compat_message(rule, result.results[0].error)
        return error_response(rule.compat_status, message, headers)
    return error_response(
        COMPAT_UNKNOWN_ERROR, "Failed on all PowerDNS servers: " + "; ".join(failed), headers
    )


def write_response(outcome: WriteOutcome, *, status: int = 204, body: Any = None) -> Response:
    """Success when the change is durable (PowerDNS clients know no 207): applied on at
    least one server, or queued for a server that missed it under the ``retry`` policy."""
    headers = servers_header(
        outcome.results, queued=outcome.queued_servers, rolled_back=outcome.rolled_back_servers
    )
    if not outcome.decision.durable:
        rolled_back = outcome.decision.verdict == "rolled_back"
        return failure_response(
            outcome.result,
            headers=headers,
            rollback_errors=outcome.rollback.errors if rolled_back else None,
        )
    return _success(status, body, headers)


def server_answer(outcome: WriteOutcome) -> Any:
    """What the first server that did the change answered (``ServerChange.answer``)."""
    return next((r.value.answer for r in outcome.results if r.success and r.value), None)


def fanout_response(result: MultiPowerDNSResult[Any], *, status: int, body: Any) -> Response:
    """Success when at least one server did it (NOTIFY, rectify: not changes, not queued)."""
    headers = servers_header(result.results)
    if not result.any_succeeded:
        return failure_response(result, headers=headers)
    return _success(status, body, headers)


def _success(status: int, body: Any, headers: dict[str, str]) -> Response:
    if body is None:
        return Response(status_code=status, headers=headers)
    return JSONResponse(body, status_code=status, headers=headers)
