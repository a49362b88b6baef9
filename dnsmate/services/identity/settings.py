"""How groups map to DNSMate roles and zones, and the OpenID providers: the shapes read from
the environment (``DNSMATE_LDAP_*``, ``DNSMATE_OIDC_PROVIDERS``); see the README's Single
sign-on section."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr

Role = Literal["admin", "editor", "manager", "reader"]


class GroupMapping(BaseModel):
    """Groups to a role and to zones, evaluated at every sign-in.

    The highest role any of the person's groups maps to wins; zones from every matching
    group are granted when that role is manager (a group with zones and no role makes its
    members managers). Nobody matching: ``default_role``, or, when it is None (the
    default), the sign-in is refused.
    """

    model_config = ConfigDict(extra="forbid")

    group_roles: dict[str, Role] = Field(default_factory=dict)
    group_zones: dict[str, list[str]] = Field(default_factory=dict)
    default_role: Role | None = None


class OidcProvider(GroupMapping):
    """One OpenID Connect provider (authorization code flow with PKCE)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")
    name: str = Field(min_length=1, max_length=80)
    # The issuer: discovery at {issuer}/.well-known/openid-configuration.
    issuer: str = Field(pattern=r"^https?://")
    client_id: str = Field(min_length=1)
    # None: a public client (PKCE only).
    client_secret: SecretStr | None = None
    scopes: str = "openid email profile"
    # The claim listing the person's groups (Keycloak and Authentik: "groups"; Entra ID:
    # "groups" or "roles"), and the one holding their e-mail address.
    groups_claim: str = "groups"
    email_claim: str = "email"
    # Refuse an e-mail the provider has not verified (claim email_verified).
    require_verified_email: bool = True
    # TLS to the provider: certificate verification, and an extra CA bundle.
    verify_tls: bool = True
    ca_file: str | None = None
