"""Who may do what. Roles: admin > editor > manager > reader.

- admin: everything, including PowerDNS settings and users.
- editor: create and delete zones; read and write every zone.
- manager: read and write records only in zones granted to them.
- reader: read every zone, change nothing.

Zone grants for managers arrive with the access-control work; until then a manager has
no zones.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.models import User
from dnsmate.powerdns.names import display, fqdn
from dnsmate.services.errors import PermissionDenied

ROLES = ("admin", "editor", "manager", "reader")


def require_role(user: User, *roles: str) -> None:
    if user.role not in roles:
        raise PermissionDenied(f"This action needs the role {' or '.join(roles)}")


async def granted_zones(*, session: AsyncSession, user: User) -> set[str] | None:
    """The zones ``user`` may see (absolute names), or None for every zone."""
    if user.role in ("admin", "editor", "reader"):
        return None
    return set()


async def check_zone(*, session: AsyncSession, user: User, zone: str, write: bool) -> None:
    """Raise PermissionDenied unless ``user`` may read (or, with ``write``, change) ``zone``."""
    if write and user.role == "reader":
        raise PermissionDenied("Readers cannot change zones")
    allowed = await granted_zones(session=session, user=user)
    if allowed is not None and fqdn(zone) not in allowed:
        raise PermissionDenied(f"No access to zone {display(fqdn(zone))}")
