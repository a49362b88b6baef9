"""Per-server operation statistics across every DNSMate process (the dashboard's numbers)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from dnsmate.api.deps import ContextDep, CurrentUser, SessionDep
from dnsmate.schemas.stats import PowerDNSFigures, ServerStatsPublic
from dnsmate.services.fleet.pdns_stats import powerdns_figures
from dnsmate.services.sync.stats import Window, server_stats_view

router = APIRouter(prefix="/servers", tags=["monitoring"])


@router.get("/stats", response_model=ServerStatsPublic)
async def read_server_stats(
    session: SessionDep, context: ContextDep, _user: CurrentUser, window: Window = "1h"
) -> dict[str, Any]:
    """Operations, failures, success rate and p95 latency of every server over the last
    hour (``window=1h``) or day (``24h``): reads, writes, queue replays and health probes."""
    return await server_stats_view(
        session=session, buffer=context.sync.metrics.stats, window=window
    )


@router.get("/powerdns-stats", response_model=list[PowerDNSFigures])
async def read_powerdns_stats(
    session: SessionDep, context: ContextDep, _user: CurrentUser
) -> list[dict[str, Any]]:
    """Each server's own figures from its statistics endpoint (uptime, queries, cache hit
    rates); a server silent past the health deadline is ``not_answering``."""
    return await powerdns_figures(
        session=session,
        pool=context.pool,
        deadline_seconds=context.settings.health_deadline_seconds,
    )
