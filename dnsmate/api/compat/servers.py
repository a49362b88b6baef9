"""``/api/v1/servers``: DNSMate presents itself as one PowerDNS server, ``localhost``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from dnsmate.api.compat.deps import ApiKeyUser, CompatMulti
from dnsmate.api.compat.errors import CompatError, CompatRoute
from dnsmate.schemas.compat import PdnsApiRoot, PdnsApiVersion, PdnsServer
from dnsmate.services.compat import pdns_compat

router = APIRouter(route_class=CompatRoute)
fallback = APIRouter(route_class=CompatRoute)


@router.get("/api", response_model=list[PdnsApiVersion])
async def read_api_versions(_user: ApiKeyUser) -> list[dict[str, Any]]:
    """The API versions offered (PowerDNS's version discovery): ``/api/v1``."""
    return [{"url": "/api/v1", "version": 1}]


@router.get("/api/v1", response_model=list[PdnsApiRoot])
async def read_api_root(_user: ApiKeyUser) -> list[dict[str, Any]]:
    """The root of version 1: where the servers are."""
    return [{"api_features": [], "server_url": "/api/v1/servers{/server}"}]


@router.get("/api/v1/servers", response_model=None, responses={200: {"model": list[PdnsServer]}})
async def read_servers(multi: CompatMulti, _user: ApiKeyUser) -> list[dict[str, Any]]:
    """The one server, as PowerDNS lists its servers."""
    return [pdns_compat.server_info(await pdns_compat.read_version(multi))]


@router.get(
    "/api/v1/servers/localhost", response_model=None, responses={200: {"model": PdnsServer}}
)
async def read_server(multi: CompatMulti, _user: ApiKeyUser) -> dict[str, Any]:
    """Server information; ``version`` is that of the PowerDNS servers behind DNSMate."""
    return pdns_compat.server_info(await pdns_compat.read_version(multi))


@fallback.api_route(
    "/api/v1/{path:path}",
    methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
    include_in_schema=False,
)
async def not_found(path: str, _user: ApiKeyUser) -> None:
    """Anything else PowerDNS serves (config, metadata, cryptokeys, ...) is not offered."""
    raise CompatError(404, "Not Found")
