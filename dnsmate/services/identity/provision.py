"""The DNSMate account of a person a provider vouched for, kept in step at every sign-in.

First sign-in creates the user (no DNSMate password; ``auth_provider`` names the provider)
and links the provider's subject to it. Every sign-in sets the role and, for managers, the
zone grants from the mapping, so access follows the directory: someone moved out of a
group loses what it gave at their next sign-in, and someone in no mapped group any more
is refused and keeps nothing (``map_or_withdraw``). A user who already exists with this
e-mail but signs in another way (a local password, another provider) is not taken over:
a provider that lets people choose their e-mail must not open someone else's account.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.db import utcnow
from dnsmate.models import User, UserIdentity
from dnsmate.services.access import grants, users
from dnsmate.services.errors import Conflict, PermissionDenied
from dnsmate.services.identity import mapping
from dnsmate.services.identity.mapping import Mapped
from dnsmate.services.identity.settings import GroupMapping

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExternalPerson:
    """Who a provider says signed in: ``provider`` is ``ldap`` or ``oidc:<id>``."""

    provider: str
    subject: str
    email: str
    groups: tuple[str, ...]


@dataclass(frozen=True)
class SignIn:
    """A successful sign-in, as the audit log and the Security page show it."""

    user: User
    provider: str
    subject: str
    role: str
    zones: tuple[str, ...] = ()

    def audit(self) -> dict[str, object]:
        """The audit event's ``after``: provider, subject and the mapped role (no secrets)."""
        return {
            "provider": self.provider,
            "subject": self.subject,
            "role": self.role,
            "zones": list(self.zones),
        }


async def _linked_user(session: AsyncSession, person: ExternalPerson) -> User | None:
    link = await session.scalar(
        select(UserIdentity).where(
            UserIdentity.provider == person.provider, UserIdentity.subject == person.subject
        )
    )
    if link is not None:
        link.last_sign_in_at = utcnow()
        return await session.get(User, link.user_id)
    user = await users.find_user(session=session, email=person.email)
    if user is not None and user.auth_provider != person.provider:
        raise PermissionDenied(
            f"The DNSMate account {user.email} signs in another way ({user.auth_provider}); "
            "an admin must remove it before it can sign in here"
        )
    return user


async def sign_in(
    *,
    session: AsyncSession,
    servers: grants.ZoneServers,
    person: ExternalPerson,
    mapped: Mapped,
) -> SignIn:
    """Create or update the user for ``person`` with the ``mapped`` role and zones.

    ``servers()`` is asked which mapped zones exist (grants name existing zones only), and
    only when a mapped zone is not granted yet.
    Raises PermissionDenied for a deactivated account or one that signs in another way.
    """
    user = await _linked_user(session, person)
    if user is None:
        user = await users.create_external_user(
            session=session, email=person.email, role=mapped.role, provider=person.provider
        )
    if not await _has_link(session, user, person):
        session.add(
            UserIdentity(
                user_id=user.id,
                provider=person.provider,
                subject=person.subject,
                last_sign_in_at=utcnow(),
            )
        )
    if not user.is_active:
        await session.rollback()
        raise PermissionDenied("This DNSMate account is deactivated")
    await session.commit()
    if user.role != mapped.role:
        try:
            user = await users.update_user(session=session, user_id=user.id, role=mapped.role)
        except Conflict as exc:
            raise PermissionDenied(f"Sign-in refused: {exc}") from exc
    zones: list[str] = []
    if mapped.role == "manager":
        zones = await grants.grant_mapped(
            session=session, servers=servers, user=user, zones=set(mapped.zones)
        )
    await session.commit()
    return SignIn(user, person.provider, person.subject, user.role, tuple(zones))


async def map_or_withdraw(
    *,
    session: AsyncSession,
    person: ExternalPerson,
    rules: GroupMapping,
    key: Callable[[str], str],
) -> Mapped:
    """What ``person``'s groups give under ``rules``. When they give nothing (no mapped
    group, no default role) the sign-in is refused (PermissionDenied) and an account an
    earlier sign-in of theirs made keeps nothing either: it becomes a manager of no zone,
    so its API tokens and DNS update keys reach nothing until a group gives access again
    (the last admin stays one: someone must be able to administer)."""
    try:
        return mapping.map_groups(person.groups, rules, key=key)
    except PermissionDenied as exc:
        if await _withdraw(session, person):
            raise PermissionDenied(f"{exc} (the access your groups gave is withdrawn)") from exc
        raise


async def _withdraw(session: AsyncSession, person: ExternalPerson) -> bool:
    """Make the account linked to ``person`` a manager without zones; True if it had more."""
    user_id = await session.scalar(
        select(UserIdentity.user_id).where(
            UserIdentity.provider == person.provider, UserIdentity.subject == person.subject
        )
    )
    user = None if user_id is None else await session.get(User, user_id)
    if user is None or not user.is_active:
        return False
    if user.role == "manager" and not await grants.list_grants(session=session, user_id=user.id):
        return False
    try:
        await users.update_user(session=session, user_id=user.id, role="manager", zones=[])
    except Conflict:
        log.warning("%s is in no mapped group but stays admin: the last admin", user.email)
        return False
    log.info("%s is in no mapped group any more: role and zones withdrawn", user.email)
    return True


async def _has_link(session: AsyncSession, user: User, person: ExternalPerson) -> bool:
    found = await session.scalar(
        select(UserIdentity.id).where(
            UserIdentity.user_id == user.id,
            UserIdentity.provider == person.provider,
            UserIdentity.subject == person.subject,
        )
    )
    return found is not None
