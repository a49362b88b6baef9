"""The /api router: one sub-router per resource."""

from fastapi import APIRouter

from dnsmate.api.routes import (
    audit,
    auth,
    backup,
    bulk,
    consistency,
    dnssec,
    health,
    records,
    search,
    server_stats,
    servers,
    sync,
    templates,
    tokens,
    users,
    version_settings,
    versions,
    zonefiles,
    zones,
)

api_router = APIRouter(prefix="/api")
api_router.include_router(health.router)
api_router.include_router(auth.router)
api_router.include_router(servers.router)
api_router.include_router(server_stats.router)
api_router.include_router(consistency.router)
api_router.include_router(version_settings.router)
api_router.include_router(sync.router)
api_router.include_router(zones.router)
api_router.include_router(records.router)
api_router.include_router(tokens.router)
api_router.include_router(dnssec.router)
api_router.include_router(templates.router)
api_router.include_router(users.router)
api_router.include_router(versions.router)
api_router.include_router(search.router)
api_router.include_router(audit.router)
api_router.include_router(zonefiles.router)
api_router.include_router(backup.router)
api_router.include_router(bulk.router)
