"""The one translation of domain, PowerDNS and database-outage errors into HTTP responses."""

from __future__ import annotations

import logging
import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from dnsmate.powerdns import errors as pdns
from dnsmate.services import errors as domain
from dnsmate.status import UNKNOWN_ERROR, rule_for

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


# SQLSTATE classes of an unreachable database: 08 connection exception, 57 operator
# intervention (57P01 admin shutdown, 57P03 "the database system is shutting down").
_OUTAGE_SQLSTATE_CLASSES = ("08", "57")


def _sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of the driver error behind ``exc`` (SQLAlchemy wraps asyncpg's twice)."""
    seen: BaseException | None = exc
    for _ in range(4):
        if seen is None:
            return None
        code = getattr(seen, "sqlstate", None) or getattr(seen, "pgcode", None)
        if isinstance(code, str):
            return code
        seen = getattr(seen, "orig", None) or seen.__cause__
    return None


def _is_database_outage(exc: Exception) -> bool:
    """The database cannot be reached (restarting, connection cut), not a bad statement."""
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated or isinstance(exc, OperationalError | InterfaceError):
            return True
        code = _sqlstate(exc)
        return code is not None and code[:2] in _OUTAGE_SQLSTATE_CLASSES
    # asyncpg's connect() lets the socket's own error through SQLAlchemy unwrapped.
    return isinstance(exc, ConnectionError)


async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    if not _is_database_outage(exc):
        raise exc  # a real bug: the server error handler logs it with its traceback
    # One line, no traceback: during a database restart every request would print one.
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path,
                str(exc).splitlines()[0] if str(exc) else type(exc).__name__)  # fmt: skip
    message = "DNSMate's database is unavailable; retry in a moment"
    return JSONResponse(
        {"message": message, "detail": message}, status_code=503, headers={"Retry-After": "1"}
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(DBAPIError, _database_unavailable)
    app.add_exception_handler(ConnectionError, _database_unavailable)
    app.add_exception_handler(domain.DNSMateError, _handle)
    app.add_exception_handler(pdns.PowerDNSError, _handle)
