"""Liveness of DNSMate itself (not of the PowerDNS servers)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from dnsmate import __version__
from dnsmate.api.deps import SessionDep

router = APIRouter(tags=["health"])


@router.get("/health")
async def read_health(session: SessionDep) -> dict[str, str]:
    """DNSMate is up and its database answers. Needs no authentication."""
    await session.execute(text("SELECT 1"))
    return {"status": "ok", "version": __version__}
