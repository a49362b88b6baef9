"""Global search across the zones and records the caller may read."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from dnsmate.api.deps import ContextDep, CurrentUser, MultiPowerDNSDep, SessionDep
from dnsmate.schemas.search import SearchPublic
from dnsmate.services.access import permissions
from dnsmate.services.zonedata import search

router = APIRouter(prefix="/search", tags=["search"])


@router.get("", response_model=SearchPublic)
async def search_everything(
    multi: MultiPowerDNSDep,
    context: ContextDep,
    session: SessionDep,
    user: CurrentUser,
    q: str = Query(min_length=1, max_length=255, examples=["www", "*.example.com", "192.0.2.*"]),
    page: int = Query(1, ge=1, le=1000),
    per_page: int = Query(50, ge=1, le=500),
    object_type: str = Query("all", description="all, zone or record"),
    record_type: str | None = Query(None, description="only records of this type, e.g. A"),
) -> dict[str, Any]:
    """Zones and records whose name or content matches ``q`` (``*`` and ``?`` wildcards).

    ``total`` is null when there are more matches than were scanned; ``has_more`` says
    whether a next page exists.
    """
    allowed = await permissions.granted_zones(session=session, user=user)
    found = await search.search(
        multi=multi, cache=context.zone_cache, query=q, page=page, per_page=per_page,
        object_type=object_type, record_type=record_type, only=allowed,
    )  # fmt: skip
    return {
        "items": found.items,
        "total": found.total,
        "has_more": found.has_more,
        "page": page,
        "per_page": per_page,
    }
