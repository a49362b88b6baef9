"""Groups to a DNSMate role and zones (the rules in ``GroupMapping``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from dnsmate.powerdns.names import fqdn
from dnsmate.services.errors import PermissionDenied
from dnsmate.services.identity.settings import GroupMapping

# Highest first: the role a person gets is the highest any of their groups maps to.
_RANK = ("admin", "editor", "manager", "reader")


@dataclass(frozen=True)
class Mapped:
    """What the rules gave: the role, the zones (absolute names) for a manager, and why."""

    role: str
    zones: frozenset[str]
    matched: tuple[str, ...]


def normalize_dn(dn: str) -> str:
    """An LDAP DN compared without case or spaces around its separators."""
    return re.sub(r"\s*([,=+])\s*", r"\1", dn.strip()).lower()


def exact(name: str) -> str:
    """A group name compared as the provider writes it."""
    return name.strip()


def map_groups(
    groups: Iterable[str], rules: GroupMapping, *, key: Callable[[str], str] = exact
) -> Mapped:
    """The role and zones ``groups`` give under ``rules``; PermissionDenied when nothing
    matches and there is no default role (deny by default)."""
    have = {key(g) for g in groups}
    roles = {key(g): role for g, role in rules.group_roles.items()}
    zones_of = {key(g): zones for g, zones in rules.group_zones.items()}
    matched = sorted((have & roles.keys()) | (have & zones_of.keys()))
    found = {roles[g] for g in have & roles.keys()}
    zones = frozenset(fqdn(z) for g in have & zones_of.keys() for z in zones_of[g])
    if zones:
        found.add("manager")
    role = next((r for r in _RANK if r in found), rules.default_role)
    if role is None:
        raise PermissionDenied(
            "Your account is not in any group that has access to DNSMate; ask an admin"
        )
    return Mapped(
        role=role, zones=zones if role == "manager" else frozenset(), matched=tuple(matched)
    )
