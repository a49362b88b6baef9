"""Users: UserCreate / UserUpdate / UserPublic / UserSummary, own password change, zone grants."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from dnsmate.schemas.common import PUBLIC, UTCDateTime
from dnsmate.schemas.limits import RecordLimitsBody

Role = str


class UserCreate(BaseModel):
    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=1024)
    role: Role = Field(default="reader", description="admin, editor, manager or reader")
    zones: list[str] = Field(
        default_factory=list,
        max_length=10000,
        description="A manager's zones; each must exist, or nothing is created",
    )


class UserUpdate(BaseModel):
    """Omitted fields stay as they are."""

    email: str | None = Field(default=None, min_length=3, max_length=320)
    password: str | None = Field(default=None, min_length=1, max_length=1024)
    role: Role | None = None
    is_active: bool | None = None
    totp_enabled: Literal[False] | None = Field(
        default=None, description="false resets two-factor login (a lost authenticator)"
    )
    # Omitted: unchanged; null: no limits.
    record_limits: RecordLimitsBody | None = None
    zones: list[str] | None = Field(
        default=None,
        max_length=10000,
        description="A manager's zones, replacing the grants; each must exist, or nothing "
        "is changed",
    )


class UserSummary(BaseModel):
    """Who is logged in (GET /api/auth/me)."""

    id: int
    email: str
    role: str
    is_active: bool


class UserPublic(UserSummary):
    model_config = PUBLIC

    totp_enabled: bool = False
    # "local" (a DNSMate password), "ldap" or "oidc:<provider>": an external user's role
    # and zone grants are set again from their groups at every sign-in.
    auth_provider: str = "local"
    # The RRsets this user may write (types, deny_types, names), or null: no limits.
    record_limits: dict[str, Any] | None = None
    # Teams the user belongs to (their zones reach managers).
    teams: list[str] = Field(default_factory=list)
    created_at: UTCDateTime | None = None
    # Zones granted to a manager (empty for the other roles, who see every zone).
    zones: list[str] = Field(default_factory=list)


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)


class ZoneGrants(BaseModel):
    zones: list[str] = Field(max_length=10000)


class SignInPublic(BaseModel):
    """One sign-in (or failed attempt) at your account, from the audit log."""

    created_at: UTCDateTime
    succeeded: bool
    # How: "password", "ldap", "oidc:<provider>", "passkey".
    method: str
    client_ip: str | None
    # The role the sign-in gave (external providers map it from groups at every sign-in).
    role: str | None
    detail: str | None
