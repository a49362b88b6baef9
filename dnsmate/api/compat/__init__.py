"""A PowerDNS Authoritative 4.x compatible API under ``/api/v1``, served by DNSMate.

Tools that speak the PowerDNS API (octoDNS, dns-lexicon and the certbot plugins built on
it, Terraform, ExternalDNS) point at DNSMate with a DNSMate API token as their API key and
get multi-server fan-out, permissions and the audit trail without a change.
"""

from fastapi import APIRouter

from dnsmate.api.compat import cryptokeys, metadata, servers, serverwide, tsigkeys, zones
from dnsmate.api.responses import COMPAT_RESPONSES

compat_router = APIRouter(tags=["powerdns-compatible"], responses=COMPAT_RESPONSES)
compat_router.include_router(servers.router)
compat_router.include_router(zones.router)
compat_router.include_router(cryptokeys.router)
compat_router.include_router(serverwide.router)
compat_router.include_router(metadata.router)
compat_router.include_router(tsigkeys.router)
compat_router.include_router(servers.fallback)  # last: everything unmatched under /api/v1

__all__ = ["compat_router"]
