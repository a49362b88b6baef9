"""The one translation of domain and PowerDNS errors into HTTP responses."""

from __future__ import annotations

import logging
import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from dnsmate.api.status import UNKNOWN_ERROR, rule_for
from dnsmate.powerdns import errors as pdns
from dnsmate.services import errors as domain

log = logging.getLogger(__name__)


async def _handle(request: Request, exc: Exception) -> JSONResponse:
    rule = rule_for(exc)
    status = rule.status if rule is not None else UNKNOWN_ERROR
    body: dict[str, object] = {"message": str(exc), "detail": str(exc)}
    if isinstance(exc, domain.InvalidInput):
        body["field"] = exc.field
        body["detail"] = [{"loc": ["body", exc.field], "msg": exc.reason, "type": "value_error"}]
    if isinstance(exc, domain.InvalidRows):
        body["errors"] = exc.rows
    if isinstance(exc, pdns.PowerDNSError) and rule is None:
        log.warning("PowerDNS read failed on %s %s: %s", request.method, request.url.path, exc)
        body["message"] = body["detail"] = f"PowerDNS unavailable: {exc}"
    headers = None
    if isinstance(exc, domain.TooManyAttempts):
        headers = {"Retry-After": str(exc.retry_after)}
    return JSONResponse(body, status_code=status, headers=headers)


def _finite(value: Any) -> Any:
    """``value`` with NaN and infinities as text: JSON has no such numbers."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value


async def _invalid_request(_request: Request, exc: Exception) -> JSONResponse:
    # FastAPI's own handler echoes the input back; a NaN sent in JSON then made it a 500.
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    return JSONResponse({"detail": _finite(jsonable_encoder(errors))}, status_code=422)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(domain.DNSMateError, _handle)
    app.add_exception_handler(pdns.PowerDNSError, _handle)
