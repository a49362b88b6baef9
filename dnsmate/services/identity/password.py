"""Sign-in with a name and password: a local account, or the LDAP directory.

A local account (``auth_provider`` "local") is checked against its DNSMate password; with
``DNSMATE_LOCAL_LOGIN=break-glass`` only the accounts in ``DNSMATE_BREAK_GLASS_EMAILS``
may do so (refused after the password check, so the refusal tells a guesser nothing).
Any other name goes to the directory when LDAP is configured: the directory checks the
password and its groups give the role and zones.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.config import Settings
from dnsmate.services.access import grants, users
from dnsmate.services.errors import PermissionDenied
from dnsmate.services.identity import mapping, provision
from dnsmate.services.identity.ldap import LdapDirectory
from dnsmate.services.identity.provision import SignIn

PASSWORD = "password"


def check_local_allowed(settings: Settings, email: str) -> None:
    """Raise PermissionDenied when password sign-in of local accounts is off for ``email``."""
    if settings.local_login == "break-glass" and email not in settings.break_glass():
        raise PermissionDenied(
            "Password sign-in is turned off for this account; use single sign-on"
        )


async def sign_in(
    *,
    session: AsyncSession,
    settings: Settings,
    directory: LdapDirectory | None,
    servers: grants.ZoneServers,
    login: str,
    password: str,
) -> SignIn | None:
    """The sign-in for ``login`` and ``password``, or None when they are wrong.

    Raises PermissionDenied when they are right but give no access (no mapped group,
    local login off, a deactivated account), ProviderUnavailable when the directory
    cannot be asked.
    """
    local = await users.find_user(session=session, email=login)
    if directory is None or (local is not None and local.auth_provider == "local"):
        user = await users.authenticate(user=local, password=password)
        if user is None:
            return None
        check_local_allowed(settings, user.email)
        return SignIn(user, PASSWORD, user.email, user.role)
    person = await directory.authenticate(login, password)
    if person is None:
        return None
    mapped = await provision.map_or_withdraw(
        session=session, person=person, rules=settings.ldap_mapping(), key=mapping.normalize_dn
    )
    return await provision.sign_in(session=session, servers=servers, person=person, mapped=mapped)
