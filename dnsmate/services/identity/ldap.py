"""LDAP / Active Directory sign-in with ldap3.

A service account binds and searches the person by the name they typed (escaped into
``ldap_user_filter``); exactly one entry must match. DNSMate then binds as that entry with
the typed password: the directory decides whether it is right (and whether the account is
locked or expired). Groups are read with the service account: the groups naming the
person as a member, then, with nested groups, the groups naming those groups, level by
level (or, on Active Directory, in one search with LDAP_MATCHING_RULE_IN_CHAIN).

Every connection is TLS (ldaps://, or StartTLS on ldap://) with certificate verification,
unless the configuration turns either off. ldap3 blocks, so each sign-in runs in a worker
thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
import uuid
from dataclasses import dataclass

import ldap3
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars

from dnsmate.config import Settings
from dnsmate.services.errors import ProviderUnavailable
from dnsmate.services.identity.provision import ExternalPerson

log = logging.getLogger(__name__)

PROVIDER = "ldap"
# How many levels of groups within groups are followed ("search" mode).
MAX_NESTING = 10
_IN_CHAIN = "1.2.840.113556.1.4.1941"


class DirectoryUnavailable(ProviderUnavailable):
    """The directory could not be reached or its TLS certificate was not trusted."""


@dataclass(frozen=True)
class LdapConfig:
    """The ``DNSMATE_LDAP_*`` settings a sign-in needs."""

    url: str
    start_tls: bool
    verify_tls: bool
    ca_file: str | None
    bind_dn: str
    bind_password: str
    user_base: str
    user_filter: str
    email_attribute: str
    id_attribute: str
    group_base: str
    group_filter: str
    member_attribute: str
    nested_groups: str
    timeout: float

    @classmethod
    def from_settings(cls, settings: Settings) -> LdapConfig | None:
        """The configuration, or None when LDAP sign-in is off (no ``ldap_url``)."""
        if not settings.ldap_url:
            return None
        password = settings.ldap_bind_password
        return cls(
            url=settings.ldap_url,
            start_tls=settings.ldap_start_tls,
            verify_tls=settings.ldap_verify_tls,
            ca_file=str(settings.ldap_ca_file) if settings.ldap_ca_file else None,
            bind_dn=settings.ldap_bind_dn,
            bind_password=password.get_secret_value() if password else "",
            user_base=settings.ldap_user_base,
            user_filter=settings.ldap_user_filter,
            email_attribute=settings.ldap_email_attribute,
            id_attribute=settings.ldap_id_attribute,
            group_base=settings.ldap_group_base or settings.ldap_user_base,
            group_filter=settings.ldap_group_filter,
            member_attribute=settings.ldap_member_attribute,
            nested_groups=settings.ldap_nested_groups,
            timeout=settings.ldap_timeout_seconds,
        )


class LdapDirectory:
    """Checks a name and password against the directory and reads the person's groups."""

    def __init__(self, config: LdapConfig) -> None:
        self.config = config
        tls = ldap3.Tls(
            validate=ssl.CERT_REQUIRED if config.verify_tls else ssl.CERT_NONE,
            ca_certs_file=config.ca_file,
        )
        self._server = ldap3.Server(
            config.url, tls=tls, get_info=ldap3.NONE, connect_timeout=config.timeout
        )

    async def authenticate(self, login: str, password: str) -> ExternalPerson | None:
        """The person for ``login`` and ``password``, or None when the directory says no.

        Raises DirectoryUnavailable when the directory cannot be asked.
        """
        if not login.strip() or not password:
            # An empty password is an "unauthenticated bind", which LDAP servers accept.
            return None
        return await asyncio.to_thread(self._authenticate, login.strip(), password)

    def _connect(self, dn: str, password: str) -> ldap3.Connection | None:
        """A bound connection, or None when the directory refused the credentials."""
        conn = ldap3.Connection(
            self._server,
            user=dn,
            password=password,
            receive_timeout=max(1, int(self.config.timeout)),
            raise_exceptions=False,
        )
        try:
            conn.open()
            if self.config.start_tls and not self.config.url.lower().startswith("ldaps://"):
                conn.start_tls()
            if conn.bind():
                return conn
        except LDAPException as exc:
            _close(conn)
            raise DirectoryUnavailable(f"LDAP server {self.config.url}: {exc}") from exc
        _close(conn)
        return None

    def _authenticate(self, login: str, password: str) -> ExternalPerson | None:
        service = self._connect(self.config.bind_dn, self.config.bind_password)
        if service is None:
            raise DirectoryUnavailable(
                f"LDAP server {self.config.url} refused the service account "
                f"{self.config.bind_dn!r} (DNSMATE_LDAP_BIND_DN / DNSMATE_LDAP_BIND_PASSWORD)"
            )
        try:
            query = self.config.user_filter.replace("{login}", escape_filter_chars(login))
            attributes = [self.config.email_attribute, self.config.id_attribute]
            service.search(self.config.user_base, query, attributes=attributes, size_limit=2)
            if len(service.entries) != 1:
                return None
            entry = service.entries[0]
            dn: str = entry.entry_dn
            email = _first(entry, self.config.email_attribute)
            subject = _first(entry, self.config.id_attribute) or dn
            groups = self._groups(service, dn)
        finally:
            _close(service)
        person = self._connect(dn, password)
        if person is None:
            return None
        _close(person)
        if not email:
            log.warning("LDAP entry %s has no %s attribute", dn, self.config.email_attribute)
            return None
        return ExternalPerson(PROVIDER, subject, email, tuple(sorted(groups)))

    def _groups(self, conn: ldap3.Connection, dn: str) -> set[str]:
        """The DNs of the groups ``dn`` belongs to, directly or (configured) through others."""
        member = self.config.member_attribute
        if self.config.nested_groups == "in-chain":
            rule = f"({member}:{_IN_CHAIN}:={escape_filter_chars(dn)})"
            return self._search_groups(conn, rule)
        found: set[str] = set()
        frontier = {dn}
        for _level in range(MAX_NESTING):
            members = "".join(f"({member}={escape_filter_chars(m)})" for m in sorted(frontier))
            new = self._search_groups(conn, f"(|{members})") - found
            found |= new
            if not new or self.config.nested_groups == "off":
                break
            frontier = new
        return found

    def _search_groups(self, conn: ldap3.Connection, membership: str) -> set[str]:
        query = f"(&{self.config.group_filter}{membership})"
        conn.search(self.config.group_base, query, attributes=[])
        return {e.entry_dn for e in conn.entries}


def _close(conn: ldap3.Connection) -> None:
    """Unbind, ignoring a connection that is already gone (a failed TLS handshake)."""
    with contextlib.suppress(LDAPException):
        conn.unbind()


def _first(entry: ldap3.Entry, attribute: str) -> str | None:
    """The attribute's first value as text (a 16-byte objectGUID as a UUID)."""
    if attribute not in entry.entry_attributes:
        return None
    values = entry[attribute].raw_values
    if not values:
        return None
    value = values[0]
    if isinstance(value, bytes):
        try:
            return value.decode()
        except UnicodeDecodeError:
            return str(uuid.UUID(bytes_le=value)) if len(value) == 16 else value.hex()
    return str(value)
