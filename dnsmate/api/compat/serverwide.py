"""``/api/v1/servers/localhost``'s server-wide routes: search, statistics, autoprimaries,
cache flushes, and a secondary zone's AXFR retrieval.

Reads come from the read server; autoprimaries are changed on every target through the
write pipeline, and so are retrievals (as /api's); flushes act on every target directly.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Response

from dnsmate.api.compat.deps import (
    ApiKeyUser,
    CompatAccount,
    CompatAdmin,
    CompatMulti,
    CompatScope,
    CompatZoneWriter,
)
from dnsmate.api.compat.errors import CompatRoute, fanout_response, server_answer, write_response
from dnsmate.api.deps import PipelineDep, SessionDep
from dnsmate.schemas.compat import (
    PdnsAutoprimary,
    PdnsCacheFlush,
    PdnsConfigSetting,
    PdnsResult,
    PdnsSearchResult,
    PdnsStatistic,
)
from dnsmate.services.access import permissions
from dnsmate.services.compat import pdns_compat, pdns_compat_server
from dnsmate.services.compat.pdns_compat_server import DeleteAutoprimary
from dnsmate.services.write.zone_changes import RetrieveZone

router = APIRouter(prefix="/api/v1/servers/localhost", route_class=CompatRoute)
JsonBody = Annotated[dict[str, Any], Body()]


def _given(**params: object) -> dict[str, str]:
    return {k: str(v) for k, v in params.items() if v is not None}


@router.get("/search-data", response_model=None, responses={200: {"model": list[PdnsSearchResult]}})
async def search_data(
    multi: CompatMulti,
    session: SessionDep,
    user: ApiKeyUser,
    q: str | None = None,
    limit: Annotated[int | None, Query(alias="max", ge=0, le=2**31 - 1)] = None,
    object_type: str | None = None,
) -> list[dict[str, Any]]:
    """Zones, records and comments matching ``q`` (``*`` and ``?`` wildcards), in the zones
    the token may see."""
    allowed = await permissions.granted_zones(session=session, user=user)
    params = _given(q=q or "", max=limit, object_type=object_type)
    return await pdns_compat_server.search(multi=multi, params=params, allowed=allowed)


@router.get("/statistics", response_model=None, responses={200: {"model": list[PdnsStatistic]}})
async def read_statistics(
    multi: CompatMulti,
    session: SessionDep,
    user: CompatAccount,
    statistic: str | None = None,
    includerings: str | None = None,
) -> list[dict[str, Any]]:
    """The read server's statistics (``?statistic=NAME`` for one, ``?includerings=false``);
    the rings (names queried lately, who asked) only for callers who see every zone."""
    params = _given(statistic=statistic, includerings=includerings)
    every_zone = await permissions.granted_zones(session=session, user=user) is None
    return await pdns_compat_server.statistics(multi=multi, params=params, rings=every_zone)


@router.get("/config", response_model=None, responses={200: {"model": list[PdnsConfigSetting]}})
async def read_config(multi: CompatMulti, _user: CompatAdmin) -> list[dict[str, Any]]:
    """The read server's settings, secrets masked (each server has its own)."""
    return await pdns_compat_server.config(multi=multi)


@router.get(
    "/autoprimaries", response_model=None, responses={200: {"model": list[PdnsAutoprimary]}}
)
async def read_autoprimaries(multi: CompatMulti, _user: CompatAdmin) -> list[dict[str, Any]]:
    """The autoprimaries (of the read server; every target gets the same changes)."""
    return await pdns_compat_server.list_autoprimaries(multi=multi)


@router.post(
    "/autoprimaries",
    status_code=201,
    response_class=Response,
    responses={201: {"description": "Added (no body, as PowerDNS answers)"}},
)
async def create_autoprimary(
    body: JsonBody, _user: CompatAdmin, pipeline: PipelineDep, scope: CompatScope
) -> Response:
    """Add an autoprimary on every target server."""
    change = pdns_compat_server.add_autoprimary(body)
    return write_response(await pipeline.run(change, scope=scope), status=201)


@router.delete("/autoprimaries/{ip}/{nameserver}", status_code=204)
async def delete_autoprimary(
    ip: str, nameserver: str, _user: CompatAdmin, pipeline: PipelineDep, scope: CompatScope
) -> Response:
    """Delete an autoprimary from every target server."""
    change = DeleteAutoprimary(ip=ip, nameserver=nameserver)
    return write_response(await pipeline.run(change, scope=scope))


@router.put("/cache/flush", responses={200: {"model": PdnsCacheFlush}})
async def flush_cache(
    multi: CompatMulti, _user: CompatAccount, domain: str | None = None
) -> Response:
    """Drop ``domain`` from the caches of every target server."""
    name = pdns_compat.canonical_name(domain or "", "domain")
    result = await pdns_compat_server.flush_cache(multi=multi, name=name)
    return fanout_response(result, status=200, body=pdns_compat_server.flushed(result))


@router.put("/zones/{zone_id}/axfr-retrieve", responses={200: {"model": PdnsResult}})
async def axfr_retrieve(
    access: CompatZoneWriter, pipeline: PipelineDep, scope: CompatScope
) -> Response:
    """Have every target server transfer this secondary zone from its primaries now
    (through the write pipeline, as /api's)."""
    outcome = await pipeline.run(RetrieveZone(zone=access.zone), scope=scope)
    return write_response(outcome, status=200, body=server_answer(outcome))
