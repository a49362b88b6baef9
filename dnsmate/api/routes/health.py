"""Liveness and readiness of DNSMate itself (not of the PowerDNS servers).

``/api/health`` answers while the process serves requests (a service manager or load
balancer restarts a process that stops answering it); ``/api/ready`` also checks that the
database answers and holds the schema this code expects, so a proxy or an upgrade script
sends traffic only to a process that can use it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from dnsmate import __version__
from dnsmate.api.deps import ContextDep
from dnsmate.schemas.health import ReadinessPublic
from dnsmate.services.readiness import check_readiness

router = APIRouter(tags=["health"])


@router.get("/health")
async def read_health() -> dict[str, str]:
    """DNSMate's process is up (liveness). Needs no authentication."""
    return {"status": "ok", "version": __version__}


@router.get(
    "/ready",
    responses={
        200: {"model": ReadinessPublic},
        503: {"model": ReadinessPublic, "description": "Not ready: see errors"},
    },
)
async def read_readiness(context: ContextDep) -> JSONResponse:
    """The database answers and its migrations are at head (readiness). No authentication."""
    report = await check_readiness(context.engine)
    body: dict[str, Any] = {"version": __version__, **report.public()}
    return JSONResponse(body, status_code=200 if report.ready else 503)
