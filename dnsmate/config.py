"""DNSMate settings: one object, read from ``DNSMATE_*`` environment variables."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from dnsmate.api.proxy import Network, parse_networks
from dnsmate.services.dnsupdate.address import parse_address
from dnsmate.services.identity.settings import GroupMapping, OidcProvider, Role


class ConfigError(Exception):
    """The configuration cannot be used; the message says what to set."""


class Settings(BaseSettings):
    """Everything DNSMate reads from its environment, validated once at start-up."""

    model_config = SettingsConfigDict(env_prefix="DNSMATE_", env_file=None, extra="ignore")

    environment: Literal["development", "production"] = "development"
    data_dir: Path = Path("data")
    database_url: str = ""
    secret_key: SecretStr | None = None
    admin_email: str | None = None
    admin_password: SecretStr | None = None
    access_token_minutes: int = 12 * 60
    # Request bodies above this many bytes are refused with 413 before they are read;
    # zone file imports and bulk changes (a file or a CSV) have the larger second limit.
    max_body_bytes: int = Field(default=4 * 1024 * 1024, ge=1024)
    max_import_bytes: int = Field(default=64 * 1024 * 1024, ge=1024)
    # Zone transfer (AXFR) imports by non-admins: only from these addresses or networks
    # (comma-separated) and from the configured PowerDNS servers' addresses.
    axfr_primaries: str = ""
    # PowerDNS transport knobs, shared by every server client.
    write_retries: int = 4
    write_retry_base_seconds: float = 0.05
    # Connection set-up to a PowerDNS server (each server's own timeout bounds the answer).
    connect_timeout_seconds: float = Field(default=3.0, gt=0)
    # Multi-server writes wait this long for a server once another has answered (or twice
    # the first answer's time, if longer); then, under the ``retry`` policy, it is answered
    # "not answering" and queued (dnsmate/services/write/stragglers.py). 0: wait for every server.
    straggler_seconds: float = Field(default=1.0, ge=0)
    # GET /api/settings/powerdns/health reports a server still silent after this long as
    # "not_answering" instead of waiting for it (its check goes on behind).
    health_deadline_seconds: float = Field(default=0.8, gt=0)
    # Which target a read tries first (dnsmate/services/fleet/read_routing.py); writes go to all.
    read_strategy: Literal["default-first", "round-robin", "fastest"] = "default-first"
    # The built web interface (npm run build in frontend/), served at "/".
    frontend_dist: Path = Path(__file__).resolve().parent.parent / "frontend" / "dist"
    # In-memory copies (dnsmate/services/invalidation.py), dropped at once on a change in
    # this process and, on PostgreSQL, on notification in the others; these are the bounds
    # when a notification is lost. 0 turns the copy off.
    server_cache_seconds: float = Field(default=10.0, ge=0)  # servers, breakers, backlog
    auth_cache_seconds: float = Field(default=5.0, ge=0)  # the caller of a token
    # PostgreSQL: a server's write lock (an advisory lock) stays held this long after a
    # write for this process's next one, and at most the tenure in one go; another process
    # that asks for it gets it at once (sync/locks.py). 0 unlocks after every write.
    write_lock_linger_seconds: float = Field(default=0.5, ge=0)
    write_lock_max_tenure_seconds: float = Field(default=1.0, gt=0)
    # Zone versions: retention, applied in the background after each change and periodically.
    version_max_per_zone: int = Field(default=1000, ge=1)
    version_max_age_days: float = Field(default=365, gt=0)
    version_prune_interval_seconds: float = Field(default=3600, gt=0)
    # Multi-server consistency: the health monitor and queue replay run every
    # ``health_interval_seconds`` in this process when ``sync_worker`` is on (with SQLite,
    # run ONE DNSMate process; with PostgreSQL several may run side by side).
    sync_worker: bool = True
    health_interval_seconds: float = Field(default=10.0, gt=0)
    # A server's breaker opens after this many consecutive failures ...
    breaker_failure_threshold: int = Field(default=3, ge=1)
    # ... and is half-open (probed again) after this cool-down.
    breaker_cooldown_seconds: float = Field(default=30.0, ge=0)
    # A queued change that keeps failing while its server answers otherwise (PowerDNS
    # answers 5xx to this change only) is parked for an admin after this many replays.
    queue_max_attempts: int = Field(default=5, ge=1, le=1000)
    # Signed webhooks: the leading process sends due deliveries every interval; a failed
    # one is retried after base * 2^(attempt-1) seconds (at most an hour) up to the limit.
    webhook_dispatcher: bool = True
    webhook_interval_seconds: float = Field(default=2.0, gt=0)
    webhook_timeout_seconds: float = Field(default=5.0, gt=0)
    webhook_retry_base_seconds: float = Field(default=10.0, ge=0)
    webhook_max_attempts: int = Field(default=12, ge=1, le=100)
    # GET /metrics needs an admin login or admin API token (a read-only admin token is
    # enough for a Prometheus scraper); with metrics_public on, loopback clients need nothing.
    metrics_public: bool = False
    # Per-server operation statistics (the dashboard's success rate and p95): this process's
    # counts are added to the database every this many seconds (0: only on shutdown and when
    # the statistics are read), and rows older than two days are pruned.
    stats_flush_seconds: float = Field(default=15.0, ge=0)
    # A sync status check every this many seconds keeps the dnsmate_zones_drifted gauge
    # current without anyone calling GET /api/sync/status (0: off; with PostgreSQL one
    # process at a time runs it).
    drift_check_interval_seconds: float = Field(default=300.0, ge=0)

    # Logs: "plain" lines for a terminal or journald, "json" (one object per line) for a
    # collector; DEBUG adds every PowerDNS HTTP call and the health/metrics requests.
    log_format: Literal["plain", "json"] = "plain"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # Reverse proxies whose X-Forwarded-For / X-Real-IP are believed: comma-separated
    # addresses or CIDR networks (nginx on the same host: "127.0.0.1/32,::1/128"). Empty:
    # the connection's own address is the client's, whatever the headers say.
    trusted_proxies: str = ""
    # An idle keep-alive connection is closed after this many seconds. Above the idle
    # expiry of the usual clients (httpx and DNSMate's own CLI: 5 s; nginx's upstream
    # keepalive_timeout: 4 s in deploy/nginx): at uvicorn's default of 5 s the server closed
    # connections the very moment such a client reused them, and the request in flight was
    # lost (a connection reset, no answer: httpx.ReadError, or a 502 behind a proxy).
    keep_alive_seconds: int = Field(default=75, ge=1)

    # RFC 2136 dynamic updates (dnsmate/services/dnsupdate): "address:port" for UDP and TCP,
    # e.g. "127.0.0.1:5353" or "[::]:53"; empty: no listener. With several processes on one
    # PostgreSQL database, one of them listens at a time.
    dns_update_listen: str = ""

    @field_validator("dns_update_listen")
    @classmethod
    def _valid_listen(cls, value: str) -> str:
        if value.strip():
            parse_address(value)  # raises ValueError saying what to write
        return value.strip()

    def dns_update_address(self) -> tuple[str, int] | None:
        """``dns_update_listen`` as (host, port), or None when off."""
        return parse_address(self.dns_update_listen) if self.dns_update_listen else None

    # Password sign-in for local accounts: "on" for everyone, or "break-glass": only the
    # accounts in ``break_glass_emails`` (directory and single sign-on users are not local).
    local_login: Literal["on", "break-glass"] = "on"
    break_glass_emails: str = ""
    # LDAP / Active Directory sign-in (on when ``ldap_url`` is set): a service account
    # searches the person, then DNSMate binds as them with their password. ldaps:// is TLS
    # from the start; ldap:// upgrades with StartTLS unless ``ldap_start_tls`` is off.
    # Certificates are verified (against ``ldap_ca_file`` when given) unless turned off.
    ldap_url: str = Field(default="", pattern=r"^(ldaps?://.+)?$")
    ldap_start_tls: bool = True
    ldap_verify_tls: bool = True
    ldap_ca_file: Path | None = None
    ldap_bind_dn: str = ""
    ldap_bind_password: SecretStr | None = None
    ldap_user_base: str = ""
    # {login} is the name typed at sign-in (escaped). Active Directory:
    # (&(objectClass=user)(|(sAMAccountName={login})(userPrincipalName={login})))
    ldap_user_filter: str = "(&(objectClass=inetOrgPerson)(|(uid={login})(mail={login})))"
    ldap_email_attribute: str = "mail"
    # A stable id of the person (Active Directory: objectGUID); the DN is used without it.
    ldap_id_attribute: str = "entryUUID"
    ldap_group_base: str = ""
    ldap_group_filter: str = "(objectClass=groupOfNames)"
    ldap_member_attribute: str = "member"
    # Groups within groups: "search" follows them level by level (any directory),
    # "in-chain" asks Active Directory for the transitive closure in one search
    # (LDAP_MATCHING_RULE_IN_CHAIN), "off" takes direct membership only.
    ldap_nested_groups: Literal["search", "in-chain", "off"] = "search"
    ldap_timeout_seconds: float = Field(default=10.0, gt=0)
    # Group DN -> role, group DN -> zones, and the role when no group matches (unset:
    # refuse the sign-in).
    ldap_group_roles: dict[str, Role] = Field(default_factory=dict)
    ldap_group_zones: dict[str, list[str]] = Field(default_factory=dict)
    ldap_default_role: Role | None = None
    # OpenID Connect providers, as a JSON list (see OidcProvider and the README).
    oidc_providers: list[OidcProvider] = Field(default_factory=list)
    # The address people reach DNSMate at (https://dns.example.com), for the redirect URI
    # registered at OpenID providers: {public_url}/api/auth/oidc/{id}/callback. Empty:
    # the address of the request (right when no proxy rewrites it).
    public_url: str = Field(default="", pattern=r"^(https?://[^/]+(/.*)?)?$")

    def ldap_mapping(self) -> GroupMapping:
        """The LDAP group rules."""
        return GroupMapping(
            group_roles=self.ldap_group_roles,
            group_zones=self.ldap_group_zones,
            default_role=self.ldap_default_role,
        )

    def break_glass(self) -> frozenset[str]:
        """The accounts that may sign in with a password when local login is "break-glass"."""
        return frozenset(e.strip().lower() for e in self.break_glass_emails.split(",") if e.strip())

    @field_validator("trusted_proxies")
    @classmethod
    def _valid_proxies(cls, value: str) -> str:
        parse_networks(value)  # raises ValueError with the bad entry
        return value

    def trusted_networks(self) -> tuple[Network, ...]:
        """``trusted_proxies`` as networks."""
        return parse_networks(self.trusted_proxies)

    @model_validator(mode="after")
    def _defaults(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite+aiosqlite:///{self.data_dir / 'dnsmate.sqlite3'}"
        return self

    def resolved_secret_key(self) -> str:
        """The signing and encryption key.

        Production requires ``DNSMATE_SECRET_KEY``. In development a random key is generated
        once and persisted under ``data_dir`` so encrypted API keys and sessions survive a
        restart (a key made fresh at every start would make stored secrets unreadable).
        """
        if self.secret_key is not None and self.secret_key.get_secret_value():
            key = self.secret_key.get_secret_value()
            if self.environment == "production" and len(key) < 32:
                raise ConfigError("DNSMATE_SECRET_KEY must be at least 32 characters in production")
            return key
        if self.environment == "production":
            raise ConfigError(
                "DNSMATE_SECRET_KEY is not set; production mode needs a fixed secret of at "
                "least 32 characters (e.g. `python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))'`)"
            )
        path = self.data_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = secrets.token_urlsafe(48)
        path.touch(mode=0o600)
        path.write_text(key)
        return key
