"""Typed dependencies shared by the routes."""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from dnsmate.config import Settings
from dnsmate.models import User
from dnsmate.schemas.common import RowId
from dnsmate.security import (
    InvalidCredentials,
    SecretBox,
    create_access_token,
    decode_access_token,
    password_stamp,
)
from dnsmate.services.access import grants, permissions, tokens
from dnsmate.services.access.caller_cache import CallerCache
from dnsmate.services.dyndns.update import AbuseGuard
from dnsmate.services.errors import NoServerAvailable, PermissionDenied
from dnsmate.services.fleet import servers
from dnsmate.services.fleet.context import Fleet
from dnsmate.services.fleet.servers import ClientPool
from dnsmate.services.history import audit
from dnsmate.services.history.versions import RebuildCache
from dnsmate.services.identity.ldap import LdapDirectory
from dnsmate.services.identity.oidc import OidcProviders
from dnsmate.services.sync.runtime import SyncRuntime
from dnsmate.services.sync.worker import SyncWorker
from dnsmate.services.write.multi_powerdns import MultiPowerDNSService
from dnsmate.services.write.pipeline import WritePipeline, WriteScope
from dnsmate.services.zonedata.record_settings import RecordDefaults
from dnsmate.services.zonedata.zones import ZoneRecordCache


@dataclass
class AppContext:
    """Everything a running app holds: built once by create_app, never at import time."""

    settings: Settings
    secret_key: str
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    box: SecretBox
    pool: ClientPool
    zone_cache: ZoneRecordCache
    # Consistency: breakers, retry queue, metrics, and the background probe/replay task.
    sync: SyncRuntime
    sync_worker: SyncWorker
    # Every DNS change goes through it: fan out, settle, roll back, record.
    pipeline: WritePipeline
    # Callers authenticated a moment ago (see services/access/caller_cache.py).
    callers: CallerCache
    # Onboarding, retiring and reconcile-everything jobs (see services/fleet).
    fleet: Fleet
    # Settings > Record defaults, held in memory (a record write reads no settings row).
    record_defaults: RecordDefaults
    # The last few rebuilt zone versions (paging, comparing and exporting reuse them).
    version_cache: RebuildCache = field(default_factory=RebuildCache)
    # LDAP / Active Directory sign-in, when configured (DNSMATE_LDAP_URL).
    directory: LdapDirectory | None = None
    # OpenID Connect providers (DNSMATE_OIDC_PROVIDERS), their discovery and keys.
    oidc: OidcProviders = field(default_factory=lambda: OidcProviders([]))
    # DynDNS2 clients stuck in a loop get "abuse" (services/dyndns/update.py).
    dyndns_guard: AbuseGuard = field(default_factory=AbuseGuard)

    def password_stamp(self, user: User) -> str:
        # The second factor is part of the stamp: turning it on ends every session that
        # was opened with the password alone.
        # Turning it off raises the session epoch, so those sessions stay ended.
        second = f"|totp:{user.totp_secret_encrypted}" if user.totp_enabled else ""
        epoch = f"|epoch:{user.session_epoch}" if user.session_epoch else ""
        return password_stamp(user.password_hash + second + epoch, secret_key=self.secret_key)

    def login_token(self, user: User) -> str:
        """A web login token, valid until it expires or the user's password changes."""
        return create_access_token(
            subject=str(user.id),
            stamp=self.password_stamp(user),
            secret_key=self.secret_key,
            minutes=self.settings.access_token_minutes,
        )


# Every dependency here is a coroutine and asks for the request rather than for another
# dependency where that is all it needs. FastAPI runs a plain ``def`` dependency in a worker
# thread (a thread hand-off per request), and it walks a dependency's own dependencies again
# each time another dependency shares it: the record routes went from 29 dependency nodes and
# two thread hand-offs per request to 13 and none (about a fifth of a write's CPU).
# tests/api/test_dependencies.py keeps it so.


async def get_context(request: Request) -> AppContext:
    return _context(request)


def _context(request: Request) -> AppContext:
    context: AppContext = request.app.state.context
    return context


ContextDep = Annotated[AppContext, Depends(get_context)]


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with _context(request).sessions() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]

_bearer = HTTPBearer(auto_error=False)


_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# What a zone-limited API token may reach besides routes with a {zone} parameter: lists
# filtered to its zones, and who it acts for. Everything else (servers, tokens, users,
# settings) is refused, deny by default.
_ZONE_TOKEN_ROUTES = frozenset({"/api/zones", "/api/search", "/api/audit", "/api/auth/me"})


def _zone_route(request: Request) -> bool:
    return "zone" in request.path_params or request.url.path.rstrip("/") in _ZONE_TOKEN_ROUTES


async def get_current_user(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    """The caller, from a login token or an API token in ``Authorization: Bearer``.

    Sets ``request.state.auth_via`` ("web" or "token:<name>") for the audit log. A user
    from an API token carries the token's limits (``user.token_scope``); a read-only token
    gets 403 on every method that can change something.
    """
    unauthorized = HTTPException(
        status.HTTP_401_UNAUTHORIZED,
        "Not authenticated: send Authorization: Bearer <token>",
        headers={"WWW-Authenticate": "Bearer"},
    )
    if credentials is None:
        raise unauthorized
    context = _context(request)
    secret = credentials.credentials
    if tokens.looks_like_token(secret):
        token_user = await api_token_user(request, session, secret)
        if token_user is None:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                "Invalid, expired or revoked API token",
                headers={"WWW-Authenticate": "Bearer"},
            )
        _check_token_limits(request, token_user)
        return token_user
    # A login token: the secret is the signed token itself, so one remembered a moment ago
    # had its signature checked then, and its entry lives no longer than the token.
    known = await _remembered(request, session, secret)
    if known is not None:
        return known
    generation = context.callers.generation
    try:
        claims = decode_access_token(secret, secret_key=context.secret_key)
    except InvalidCredentials as exc:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, str(exc), headers={"WWW-Authenticate": "Bearer"}
        ) from exc
    subject = claims.subject
    user = await session.get(User, int(subject)) if subject.isdigit() else None
    if user is None or not user.is_active:
        raise unauthorized
    if not hmac.compare_digest(claims.stamp, context.password_stamp(user)):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "Session ended: the password was changed, log in again",
            headers={"WWW-Authenticate": "Bearer"},
        )
    context.callers.put(secret, user, generation=generation, expires_at=claims.expires_at)
    request.state.auth_via = "web"
    request.state.user = user
    return user


async def api_token_user(request: Request, session: AsyncSession, secret: str) -> User | None:
    """The user of API token ``secret`` (narrowed by the token), or None when it is no
    valid token: remembered for a moment after a first check (``CallerCache``), for
    DNSMate's API and the PowerDNS-compatible one alike. Sets ``request.state.auth_via``
    ("token:<name>") and ``request.state.user`` for the audit and access logs."""
    if not tokens.looks_like_token(secret):  # never a login token, even a remembered one
        return None
    known = await _remembered(request, session, secret)
    if known is not None:
        return known
    callers = _context(request).callers
    generation = callers.generation
    found = await tokens.authenticate_token(session=session, secret=secret)
    if found is None:
        return None
    user, token = found
    callers.put(
        secret, user, generation=generation, token_name=token.name, expires_at=token.expires_at
    )
    request.state.auth_via = f"token:{token.name}"
    request.state.user = user
    return user


async def _remembered(request: Request, session: AsyncSession, secret: str) -> User | None:
    """The caller ``secret`` authenticated a moment ago, if no user or token changed since."""
    callers = _context(request).callers
    cached = callers.get(secret)
    if cached is None:
        return None
    user = await callers.user(cached, session)
    request.state.auth_via = cached.via
    request.state.user = user
    return user


def _check_token_limits(request: Request, user: User) -> None:
    """An API token's limits on this request: read-only tokens only read, zone-limited
    tokens reach only zone routes (every request, whether the caller was cached or not)."""
    scope = user.token_scope
    if scope is None:
        return
    if request.method not in _SAFE_METHODS:
        permissions.require_writable(user)
    if scope.zones is not None and not _zone_route(request):
        raise PermissionDenied(f"API token {scope.name!r} is limited to zones")


CurrentUser = Annotated[User, Depends(get_current_user)]


async def _login_user(user: CurrentUser) -> User:
    if user.token_scope is not None:
        raise PermissionDenied(
            f"API token {user.token_scope.name!r} cannot do this: log in with your password"
        )
    return user


# A user who logged in (not an API token): for minting tokens and account security.
LoginUser = Annotated[User, Depends(_login_user)]


def _role_dependency(*roles: str) -> Callable[[User], Awaitable[User]]:
    """A dependency that admits users with one of ``roles`` (never zone-limited tokens)."""

    async def check(user: CurrentUser) -> User:
        permissions.require_role(user, *roles)
        return user

    return check


AdminUser = Annotated[User, Depends(_role_dependency("admin"))]


def _is_loopback(request: Request) -> bool:
    host = client_address(request) or ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def _metrics_reader(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User | None:
    if _context(request).settings.metrics_public and _is_loopback(request):
        return None
    user = await get_current_user(request, session, credentials)
    permissions.require_role(user, "admin")
    return user


# GET /metrics: admins (login or API token); with DNSMATE_METRICS_PUBLIC=true also anyone
# connecting from a loopback address (a scraper on the same host).
MetricsReader = Annotated[User | None, Depends(_metrics_reader)]
ZoneCreator = Annotated[User, Depends(_role_dependency("admin", "editor"))]


async def _zone_reader(zone: str, user: CurrentUser, session: SessionDep) -> User:
    await permissions.check_zone(session=session, user=user, zone=zone, write=False)
    return user


async def _zone_writer(zone: str, user: CurrentUser, session: SessionDep) -> User:
    await permissions.check_zone(session=session, user=user, zone=zone, write=True)
    return user


# For routes with a ``{zone}`` path parameter.
ZoneReader = Annotated[User, Depends(_zone_reader)]
ZoneWriter = Annotated[User, Depends(_zone_writer)]


async def get_multi(
    request: Request, session: SessionDep, _user: CurrentUser
) -> MultiPowerDNSService:
    # Depends on CurrentUser so authentication always runs before server selection (an
    # anonymous caller gets 401, never a 503 about the server configuration).
    return await _context(request).pipeline.targets(session)


MultiPowerDNSDep = Annotated[MultiPowerDNSService, Depends(get_multi)]


async def get_sign_in_targets(request: Request, session: SessionDep) -> grants.ZoneServers:
    """The servers a sign-in asks which mapped zones exist (None when none is configured),
    built only when asked: a password login of a local account never reads them."""

    async def targets() -> MultiPowerDNSService | None:
        try:
            return await _context(request).pipeline.targets(session)
        except NoServerAvailable:
            return None

    return targets


# For sign-in routes (no caller yet): which zones exist, to grant mapped zones.
SignInTargetsDep = Annotated[grants.ZoneServers, Depends(get_sign_in_targets)]


async def get_read_servers(
    request: Request,
    session: SessionDep,
    _user: CurrentUser,
    server: Annotated[
        RowId | None,
        Query(
            description="Read from this server (any configured one, write target or not) "
            "instead of the write targets"
        ),
    ] = None,
) -> MultiPowerDNSService:
    """Where a read goes: the write targets, or the one server ``?server=`` names."""
    context = _context(request)
    if server is None:
        return await context.pipeline.targets(session)
    return await servers.build_browse(session=session, pool=context.pool, server_id=server)


# For zone and record reads that may browse a server other than the write targets.
ReadServersDep = Annotated[MultiPowerDNSService, Depends(get_read_servers)]


async def get_pipeline(request: Request) -> WritePipeline:
    return _context(request).pipeline


PipelineDep = Annotated[WritePipeline, Depends(get_pipeline)]


async def get_write_scope(request: Request, session: SessionDep, user: CurrentUser) -> WriteScope:
    """This request's writes: its session, who acts (and how, from where), its targets."""
    # The targets are chosen after authentication (the caller above), as ``get_multi`` does.
    multi = await _context(request).pipeline.targets(session)
    via = getattr(request.state, "auth_via", "api")
    return WriteScope(session, audit.Actor(user, via, client_address(request)), multi)


WriteScopeDep = Annotated[WriteScope, Depends(get_write_scope)]


def public_base_url(request: Request, context: AppContext) -> str:
    """Where people reach DNSMate (``DNSMATE_PUBLIC_URL``, else the request's own base URL):
    for OpenID redirect URIs and the passkeys' relying party."""
    return context.settings.public_url.rstrip("/") or str(request.base_url).rstrip("/")


def client_address(request: Request) -> str | None:
    """The caller's address: behind a proxy in DNSMATE_TRUSTED_PROXIES, the client it names.

    The one way to ask who is calling (throttling, audit, metrics access): the
    TrustedProxyMiddleware (dnsmate/api/proxy.py) has already replaced the proxy's address.
    """
    return request.client.host if request.client else None


@dataclass
class Auditor:
    """Writes audit events for this request: who (once authenticated), how and from where."""

    request: Request
    session: AsyncSession

    def actor(self, user: User | None = None) -> audit.Actor:
        """The caller; ``user`` names them where the request carried no credentials (login)."""
        user = user or getattr(self.request.state, "user", None)
        via: str = getattr(self.request.state, "auth_via", "web")
        return audit.Actor(user=user, via=via, client_ip=client_address(self.request))

    async def record(self, action: str, *, user: User | None = None, **fields: Any) -> None:
        """Append an event; ``fields`` as ``audit.record_event`` takes them."""
        await audit.record_event(
            session=self.session, actor=self.actor(user), action=action, **fields
        )


async def get_auditor(request: Request, session: SessionDep) -> Auditor:
    return Auditor(request=request, session=session)


AuditDep = Annotated[Auditor, Depends(get_auditor)]
