"""App factory: ``create_app(settings)`` builds a DNSMate FastAPI app with its own state."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from dnsmate import __version__
from dnsmate.api.access_log import AccessLogMiddleware
from dnsmate.api.compat import compat_router
from dnsmate.api.deps import AppContext
from dnsmate.api.errors import install_error_handlers
from dnsmate.api.headers import SecurityHeadersMiddleware
from dnsmate.api.limits import BodyLimitMiddleware
from dnsmate.api.main import api_router
from dnsmate.api.proxy import TrustedProxyMiddleware
from dnsmate.api.routes.dyndns import router as dyndns_router
from dnsmate.api.routes.metrics import router as metrics_router
from dnsmate.config import Settings
from dnsmate.db import make_engine, make_session_factory
from dnsmate.security import SecretBox
from dnsmate.services.access.caller_cache import CallerCache
from dnsmate.services.access.users import bootstrap_admin, count_users
from dnsmate.services.dnsupdate.gateway import DnsUpdateGateway
from dnsmate.services.dnsupdate.listener import DnsUpdateListener
from dnsmate.services.fleet.context import Fleet
from dnsmate.services.fleet.jobs import JobRunner
from dnsmate.services.fleet.server_state import ServerStateCache
from dnsmate.services.fleet.servers import ClientPool
from dnsmate.services.history.version_recorder import VersionRecorder
from dnsmate.services.history.version_retention import VersionRetention
from dnsmate.services.identity.ldap import LdapConfig, LdapDirectory
from dnsmate.services.identity.oidc import OidcProviders
from dnsmate.services.invalidation import Invalidator
from dnsmate.services.sync.health import BreakerPolicy
from dnsmate.services.sync.leader import Leadership
from dnsmate.services.sync.locks import Locks, is_postgres
from dnsmate.services.sync.metrics import SyncMetrics
from dnsmate.services.sync.monitor import Monitor
from dnsmate.services.sync.runtime import SyncRuntime
from dnsmate.services.sync.worker import SyncWorker
from dnsmate.services.webhooks.dispatcher import WebhookDispatcher
from dnsmate.services.webhooks.outbox import HookCache
from dnsmate.services.write.pipeline import WritePipeline
from dnsmate.services.zonedata.record_settings import RecordDefaults
from dnsmate.services.zonedata.zones import ZoneRecordCache
from dnsmate.web import mount_frontend

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app. The database must already be migrated (``dnsmate db upgrade``)."""
    settings = settings or Settings()
    secret_key = settings.resolved_secret_key()
    engine = make_engine(settings.database_url)
    # Replays, health checks and statistics use a small pool of their own, and the locks
    # their own connections: a request holding a pooled connection never waits for another.
    background = make_engine(settings.database_url, pool_size=2, max_overflow=8)
    # The record step too (services/write/record.py): a write waiting for its zone's turn
    # may hold a request connection, so the turn's holder never asks the request pool.
    # Its sessions always commit or roll back: no rollback when a connection goes back.
    recording = make_engine(
        settings.database_url, pool_size=2, max_overflow=3, reset_on_return=False
    )
    locks = Locks(
        engine,
        linger_seconds=settings.write_lock_linger_seconds,
        max_tenure_seconds=settings.write_lock_max_tenure_seconds,
    )
    invalidator = Invalidator(engine)
    box = SecretBox(secret_key)
    sessions = make_session_factory(engine, invalidator=invalidator)
    metrics = SyncMetrics()
    pool = ClientPool(
        box,
        write_retries=settings.write_retries,
        retry_base_seconds=settings.write_retry_base_seconds,
        lock_factory=locks.write_lock,
        read_strategy=settings.read_strategy,
        observer=metrics.observe,
        state=ServerStateCache(invalidator, ttl_seconds=settings.server_cache_seconds),
        connect_timeout_seconds=settings.connect_timeout_seconds,
        straggler_seconds=settings.straggler_seconds,
        health_deadline_seconds=settings.health_deadline_seconds,
    )
    sync = SyncRuntime(
        engine=background,
        sessions=make_session_factory(background, invalidator=invalidator),
        locks=locks,
        pool=pool,
        breaker=BreakerPolicy(
            threshold=settings.breaker_failure_threshold,
            cooldown_seconds=settings.breaker_cooldown_seconds,
        ),
        interval_seconds=settings.health_interval_seconds,
        max_attempts=settings.queue_max_attempts,
        metrics=metrics,
        hooks=HookCache(invalidator, ttl_seconds=settings.server_cache_seconds),
    )
    # Webhook deliveries are sent by the process that leads "webhooks" (services/webhooks).
    dispatcher = WebhookDispatcher(
        sessions=sync.sessions,
        box=box,
        lead=Leadership(engine, "webhooks"),
        interval=settings.webhook_interval_seconds,
        timeout=settings.webhook_timeout_seconds,
        retry_base=settings.webhook_retry_base_seconds,
        max_attempts=settings.webhook_max_attempts,
    )
    monitor = Monitor(
        sync,
        flush_seconds=settings.stats_flush_seconds,
        drift_seconds=settings.drift_check_interval_seconds,
    )
    # Pruning runs in the background on the background pool (see version_retention).
    retention = VersionRetention(
        settings=settings, sessions=sync.sessions, lead=Leadership(engine, "version-retention")
    )
    # One process on SQLite: it alone records versions, and may remember each zone's newest.
    versions = VersionRecorder(retention=retention, remember_heads=engine.dialect.name == "sqlite")
    pipeline = WritePipeline(
        runtime=sync,
        versions=versions,
        sessions=make_session_factory(recording, invalidator=invalidator),
    )
    context = AppContext(
        settings=settings,
        secret_key=secret_key,
        engine=engine,
        sessions=sessions,
        box=box,
        pool=pool,
        zone_cache=ZoneRecordCache(),
        sync=sync,
        sync_worker=SyncWorker(sync),
        pipeline=pipeline,
        callers=CallerCache(invalidator, ttl_seconds=settings.auth_cache_seconds),
        fleet=Fleet(
            runner=JobRunner(sync.sessions),
            runtime=sync,
            pipeline=pipeline,
            settle_seconds=settings.server_cache_seconds if is_postgres(engine) else 0.0,
        ),
        directory=LdapDirectory(ldap) if (ldap := LdapConfig.from_settings(settings)) else None,
        oidc=OidcProviders(settings.oidc_providers),
        record_defaults=RecordDefaults(invalidator, ttl_seconds=settings.server_cache_seconds),
    )

    dns_update = _dns_update_listener(settings, context, engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async with context.sessions() as session:
            password = (
                settings.admin_password.get_secret_value() if settings.admin_password else None
            )
            await bootstrap_admin(session=session, email=settings.admin_email, password=password)
            if await count_users(session) == 0:
                log.warning(
                    "No user exists yet: set DNSMATE_ADMIN_EMAIL and DNSMATE_ADMIN_PASSWORD, "
                    "or run `dnsmate users create-admin`"
                )
        invalidator.start()
        versions.start()
        if settings.sync_worker:
            context.sync_worker.start()
        monitor.start()
        if settings.webhook_dispatcher:
            dispatcher.start()
        if dns_update is not None:
            dns_update.start()
        yield
        await dispatcher.stop()
        if dns_update is not None:
            await dns_update.stop()
        await context.fleet.runner.aclose()
        await context.sync_worker.stop()
        await monitor.stop()
        await pipeline.idle()
        await versions.aclose()
        await context.pool.aclose()
        await locks.aclose()
        await invalidator.aclose()
        await background.dispose()
        await recording.dispose()
        await engine.dispose()

    app = FastAPI(title="DNSMate", version=__version__, lifespan=lifespan)
    app.state.context = context
    app.state.webhooks = dispatcher
    app.state.versions = versions
    app.state.monitor = monitor
    app.state.dns_update = dns_update
    install_error_handlers(app)
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        max_import_bytes=settings.max_import_bytes,
    )
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(AccessLogMiddleware)
    # Last added runs first: every later layer sees the client a trusted proxy named.
    app.add_middleware(TrustedProxyMiddleware, trusted=settings.trusted_networks())
    app.include_router(api_router)
    app.include_router(metrics_router)  # /metrics, where Prometheus looks
    app.include_router(dyndns_router)  # /nic/update, where dyndns2 clients look
    app.include_router(compat_router)  # /api/v1: PowerDNS's paths, outside /api's routers
    mount_frontend(app, settings.frontend_dist)
    return app


def _dns_update_listener(
    settings: Settings, context: AppContext, engine: AsyncEngine
) -> DnsUpdateListener | None:
    """The RFC 2136 listener when DNSMATE_DNS_UPDATE_LISTEN is set (started by the lifespan)."""
    address = settings.dns_update_address()
    if address is None:
        return None
    gateway = DnsUpdateGateway(
        sessions=context.sessions, pipeline=context.pipeline, box=context.box
    )
    return DnsUpdateListener(
        address=address, gateway=gateway, lead=Leadership(engine, "dns-update")
    )
