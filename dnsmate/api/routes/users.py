"""Users: administration (admin only), your own account, managers' zone grants."""

from __future__ import annotations

from fastapi import APIRouter, status

from dnsmate.api.deps import (
    AdminUser,
    AuditDep,
    ContextDep,
    CurrentUser,
    LoginUser,
    MultiPowerDNSDep,
    SessionDep,
)
from dnsmate.models import User
from dnsmate.powerdns.names import display
from dnsmate.schemas.auth import Token
from dnsmate.schemas.common import RowId
from dnsmate.schemas.users import (
    PasswordChange,
    SignInPublic,
    UserCreate,
    UserPublic,
    UserUpdate,
    ZoneGrants,
)
from dnsmate.services.access import grants, permissions, teams, users
from dnsmate.services.errors import PermissionDenied
from dnsmate.services.history import audit as audit_log

router = APIRouter(prefix="/users", tags=["users"])


def user_public(user: User, zones: list[str], teams: list[str] | None = None) -> UserPublic:
    return UserPublic(
        id=user.id,
        email=user.email,
        role=user.role,
        is_active=user.is_active,
        totp_enabled=user.totp_enabled,
        auth_provider=user.auth_provider,
        record_limits=user.record_limits,
        teams=teams or [],
        created_at=user.created_at,
        zones=[display(z) for z in zones],
    )


async def _public(session: SessionDep, user: User) -> UserPublic:
    zones = await grants.list_grants(session=session, user_id=user.id)
    return user_public(user, zones, await teams.teams_of(session=session, user_id=user.id))


@router.get("", response_model=list[UserPublic])
async def read_users(session: SessionDep, _admin: AdminUser) -> list[UserPublic]:
    """Every user, with managers' zone grants."""
    granted = await grants.grants_by_user(session=session)
    return [user_public(u, granted.get(u.id, [])) for u in await users.list_users(session=session)]


@router.post("", response_model=UserPublic, status_code=status.HTTP_201_CREATED)
async def create_user(
    body: UserCreate, session: SessionDep, context: ContextDep, audit: AuditDep, admin: AdminUser
) -> UserPublic:
    """Create a user (password: at least 12 characters, not a common one).

    A manager's ``zones`` are checked first: an unknown zone creates nothing. Creating an
    admin needs a login, not an API token.
    """
    if body.role == "admin":
        permissions.require_login(admin, "create an admin")
    zones: list[str] = []
    if body.zones:
        multi = await context.pipeline.targets(session)
        zones = await grants.check_grants(
            multi=multi, email=body.email, role=body.role, zones=body.zones
        )
    user = await users.create_user(
        session=session, email=body.email, password=body.password, role=body.role, zones=zones
    )
    public = await _public(session, user)
    await audit.record("user.create", target=user.email, after=public.model_dump(mode="json"))
    return public


@router.get("/me", response_model=UserPublic)
async def read_me(session: SessionDep, user: CurrentUser) -> UserPublic:
    """Your own account."""
    return await _public(session, user)


@router.get("/me/sign-ins", response_model=list[SignInPublic])
async def read_my_sign_ins(session: SessionDep, user: CurrentUser) -> list[SignInPublic]:
    """Your latest 20 sign-ins and failed attempts at your account (Security settings)."""
    events = await audit_log.sign_ins(session=session, user=user)
    return [
        SignInPublic(
            created_at=e.created_at,
            succeeded=e.outcome == "success",
            method=(e.after or {}).get("provider", e.via) if e.outcome == "success" else "-",
            client_ip=e.client_ip,
            role=(e.after or {}).get("role"),
            detail=e.detail,
        )
        for e in events
    ]


@router.post("/me/password", response_model=Token)
async def change_my_password(
    body: PasswordChange, session: SessionDep, context: ContextDep, audit: AuditDep, user: LoginUser
) -> Token:
    """Change your password; needs the current one.

    Every login session of yours ends (on all devices); the answer carries a new token for
    this one. API tokens are not affected: revoke them separately.
    """
    await users.change_own_password(
        session=session,
        user=user,
        current_password=body.current_password,
        new_password=body.new_password,
    )
    await audit.record("user.password", target=user.email)
    return Token(access_token=context.login_token(user))


@router.get("/{user_id}", response_model=UserPublic)
async def read_user(user_id: RowId, session: SessionDep, _admin: AdminUser) -> UserPublic:
    """One user."""
    return await _public(session, await users.get_user(session=session, user_id=user_id))


@router.put("/{user_id}", response_model=UserPublic)
async def update_user(
    user_id: RowId,
    body: UserUpdate,
    session: SessionDep,
    context: ContextDep,
    audit: AuditDep,
    admin: AdminUser,
) -> UserPublic:
    """Change e-mail, password, role or active flag; the last admin cannot be demoted.

    Making an admin, setting a password and resetting two-factor login need a login, not an
    API token; your own two-factor login is turned off with POST /api/auth/2fa/disable
    (password and code).
    """
    if body.role == "admin":
        permissions.require_login(admin, "make a user admin")
    if body.password is not None:
        permissions.require_login(admin, "set a password")
    if body.totp_enabled is False:
        permissions.require_login(admin, "reset two-factor login")
        if user_id == admin.id:
            raise PermissionDenied(
                "Turn off your own two-factor login with POST /api/auth/2fa/disable "
                "(password and code)"
            )
    current = await users.get_user(session=session, user_id=user_id)
    old = await _public(session, current)
    zones = None
    if body.zones is not None:
        multi = await context.pipeline.targets(session)
        zones = await grants.check_grants(
            multi=multi, email=current.email, role=body.role or current.role, zones=body.zones
        )
    user = await users.update_user(
        session=session,
        user_id=user_id,
        email=body.email,
        password=body.password,
        role=body.role,
        is_active=body.is_active,
        reset_two_factor=body.totp_enabled is False,
        zones=zones,
    )
    if "record_limits" in body.model_fields_set:
        limits = None if body.record_limits is None else body.record_limits.limits()
        user = await users.set_record_limits(session=session, user=user, limits=limits)
    public = await _public(session, user)
    await audit.record(
        "user.update",
        target=user.email,
        before=old.model_dump(mode="json"),
        after=public.model_dump(mode="json"),
        detail="password set by an admin" if body.password is not None else None,
    )
    return public


@router.delete("/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_user(
    user_id: RowId, session: SessionDep, audit: AuditDep, admin: AdminUser
) -> None:
    """Delete a user with their tokens and grants; the last admin cannot be deleted."""
    old = await _public(session, await users.get_user(session=session, user_id=user_id))
    await users.delete_user(session=session, user_id=user_id, actor=admin)
    await audit.record("user.delete", target=old.email, before=old.model_dump(mode="json"))


@router.put("/{user_id}/zones", response_model=UserPublic)
async def set_user_zones(
    user_id: RowId,
    body: ZoneGrants,
    session: SessionDep,
    multi: MultiPowerDNSDep,
    audit: AuditDep,
    _admin: AdminUser,
) -> UserPublic:
    """Set the zones a manager may read and write (each must exist)."""
    user = await users.get_user(session=session, user_id=user_id)
    old = await grants.list_grants(session=session, user_id=user.id)
    zones = await grants.set_grants(session=session, multi=multi, user=user, zones=body.zones)
    await audit.record(
        "user.zones",
        target=user.email,
        before=[display(z) for z in old],
        after=[display(z) for z in zones],
    )
    return user_public(user, zones)
