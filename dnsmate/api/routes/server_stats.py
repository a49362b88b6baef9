"""Per-server operation statistics across every DNSMate process (the dashboard's numbers)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from dnsmate.api.deps import ContextDep, CurrentUser, SessionDep
from dnsmate.schemas.stats import ServerStatsPublic
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
