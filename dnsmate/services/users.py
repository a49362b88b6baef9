"""Users: authentication and the admin bootstrap."""

from __future__ import annotations

import logging

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.models import User
from dnsmate.security import hash_password, verify_password
from dnsmate.services.errors import Conflict, InvalidInput

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 12
# Hash of a fixed string, verified against on unknown e-mails so that a login for an
# unknown account takes as long as one for a known account.
_DUMMY_HASH = hash_password("dnsmate-timing-equaliser")


def normalize_email(email: str) -> str:
    return email.strip().lower()


async def authenticate(*, session: AsyncSession, email: str, password: str) -> User | None:
    """The active user with these credentials, or None."""
    user = await session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        verify_password(password, _DUMMY_HASH)
        return None
    if not verify_password(password, user.password_hash) or not user.is_active:
        return None
    return user


async def create_user(
    *, session: AsyncSession, email: str, password: str, role: str = "admin"
) -> User:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("password", f"must be at least {MIN_PASSWORD_LENGTH} characters")
    address = normalize_email(email)
    if "@" not in address:
        raise InvalidInput("email", f"{email!r} is not an e-mail address")
    if await session.scalar(select(User).where(User.email == address)) is not None:
        raise Conflict(f"A user with e-mail {address} already exists")
    user = User(email=address, password_hash=hash_password(password), role=role)
    session.add(user)
    await session.commit()
    return user


async def count_users(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(User)) or 0)


async def bootstrap_admin(
    *, session: AsyncSession, email: str | None, password: str | None
) -> User | None:
    """Create the configured admin when no user exists yet (first start)."""
    if not email or not password or await count_users(session) > 0:
        return None
    user = await create_user(session=session, email=email, password=password, role="admin")
    log.info("Created admin user %s", user.email)
    return user
