"""DNSMate users."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dnsmate.db import Base, TimestampMixin
from dnsmate.services.access.record_limits import RecordLimits


@dataclass(frozen=True)
class TokenScope:
    """How an API token narrows its user for one request (not stored on the user)."""

    token_id: int
    name: str
    read_only: bool
    # Absolute zone names, or None for every zone the user may use.
    zones: frozenset[str] | None
    # Absolute host names (a DynDNS token: /nic/update only), or None.
    hosts: frozenset[str] | None = None
    # Which RRsets the token may write (RecordLimits), or None.
    limits: RecordLimits | None = None


class User(TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="admin")
    # "local" (password), "ldap" or "oidc:<provider id>": who decides this user's password,
    # role and zones. An external user's role and grants are set again at every sign-in.
    auth_provider: Mapped[str] = mapped_column(String(60), default="local", server_default="local")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # TOTP secret, encrypted with the SecretBox; enabled only after a valid code.
    totp_secret_encrypted: Mapped[str | None] = mapped_column(Text, nullable=True)
    totp_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    # The last accepted TOTP time step, so one code cannot be replayed.
    totp_last_step: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Argon2 hashes of the unused recovery codes.
    recovery_codes: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)
    # Part of every login token's stamp: raised when two-factor login is turned off or reset,
    # so the sessions opened before (with the password alone) do not come back.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # RecordLimits.to_json() or None: which RRsets this user may write (services/record_limits).
    record_limits: Mapped[Any] = mapped_column(JSON, nullable=True)

    @property
    def token_scope(self) -> TokenScope | None:
        """Set by authentication when this request came with an API token.

        Every permission check reads it from the user, so a token's limits hold on every
        route that checks the user, without the route having to know about tokens.
        """
        scope: TokenScope | None = self.__dict__.get("_token_scope")
        return scope

    @token_scope.setter
    def token_scope(self, scope: TokenScope | None) -> None:
        self.__dict__["_token_scope"] = scope
