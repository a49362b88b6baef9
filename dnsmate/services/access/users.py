"""Users: authentication, the admin bootstrap, administration and the password policy."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.models import User, ZoneGrant
from dnsmate.security import hash_password, verify_password
from dnsmate.services.access import grants, twofactor
from dnsmate.services.access.permissions import ROLES
from dnsmate.services.access.record_limits import RecordLimits
from dnsmate.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 12
# An e-mail address as people type them: a dot-atom local part (RFC 5322, no quoting) and
# a host name of letters, digits and hyphens (internal names such as corp.local included).
_LOCAL_PART = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_HOST_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"{_LOCAL_PART}@{_HOST_LABEL}(?:\.{_HOST_LABEL})*")
# A short list of passwords long enough to pass the length rule yet guessed first.
COMMON_PASSWORDS = frozenset(
    {
        "123456789012", "1234567890123", "12345678901234", "123456789abc", "1q2w3e4r5t6y",
        "qwertyuiop12", "qwertyuiopasdfgh", "qwerty123456", "password1234", "password12345",
        "passwordpassword", "password123!", "p@ssw0rd1234", "administrator", "administrator1",
        "letmeinletmein", "iloveyou1234", "welcome12345", "changeme1234", "trustno1trustno1",
        "aaaaaaaaaaaa", "abcdefghijkl", "abc123abc123", "football1234", "baseball1234",
        "superman1234", "dragon123456", "monkey123456", "sunshine1234", "princess1234",
        "qazwsxedcrfv", "1qaz2wsx3edc", "zaq12wsxcde3", "asdfghjkl123", "000000000000",
        "111111111111", "dnsmate12345", "dnsmatednsmate", "powerdns1234", "adminadmin12",
    }
)  # fmt: skip
# Hash of a fixed string, verified against on unknown e-mails so that a login for an
# unknown account takes as long as one for a known account (made on first use).
_dummy_hash: list[str] = []


async def _dummy() -> str:
    if not _dummy_hash:
        _dummy_hash.append(await hash_password("dnsmate-timing-equaliser"))
    return _dummy_hash[0]


def normalize_email(email: str) -> str:
    return email.strip().lower()


def check_password_policy(password: str, *, email: str, field: str = "password") -> None:
    """Raise InvalidInput unless the password is long enough, not a common one, not the
    account's e-mail address (or its part before the @) and not mostly whitespace."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(field, f"must be at least {MIN_PASSWORD_LENGTH} characters")
    if password.lower() in COMMON_PASSWORDS or len(set(password)) < 4:
        raise InvalidInput(field, "is too common or too easy to guess; choose another")
    address = normalize_email(email)
    if password.strip().lower() in (address, address.partition("@")[0]):
        raise InvalidInput(field, "must not be the e-mail address; choose another")
    if sum(c.isspace() for c in password) * 2 > len(password):
        raise InvalidInput(field, "is mostly whitespace; choose another")


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInput("role", f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    return role


async def authenticate(*, user: User | None, password: str) -> User | None:
    """``user`` (as ``find_user`` found it) when it is active and ``password`` is its
    password, or None; a missing user takes as long to refuse."""
    if user is None:
        await verify_password(password, await _dummy())
        return None
    if not await verify_password(password, user.password_hash) or not user.is_active:
        return None
    return user


async def _check_email_free(session: AsyncSession, email: str, *, except_id: int = 0) -> str:
    address = normalize_email(email)
    if len(address) > 320 or not _EMAIL.fullmatch(address):
        raise InvalidInput("email", f"{email!r} is not an e-mail address")
    existing = await session.scalar(select(User).where(User.email == address))
    if existing is not None and existing.id != except_id:
        raise Conflict(f"A user with e-mail {address} already exists")
    return address


async def create_user(
    *,
    session: AsyncSession,
    email: str,
    password: str,
    role: str = "admin",
    zones: Sequence[str] = (),
) -> User:
    """Create a user after checking the e-mail, the role and the password policy.

    ``zones`` (absolute names, checked by ``grants.check_grants``) are granted in the same
    transaction: the user exists with its grants or not at all.
    """
    address = await _check_email_free(session, email)
    check_password_policy(password, email=address)
    user = User(email=address, password_hash=await hash_password(password), role=_check_role(role))
    session.add(user)
    if zones:
        await session.flush()
        await grants.replace_grants(session=session, user_id=user.id, zones=list(zones))
    await session.commit()
    return user


# Stored as the password hash of users who sign in elsewhere: no password ever matches it.
EXTERNAL_PASSWORD = "!external"


async def create_external_user(
    *, session: AsyncSession, email: str, role: str, provider: str
) -> User:
    """A user who signs in through ``provider`` (no DNSMate password); the caller commits."""
    address = await _check_email_free(session, email)
    user = User(
        email=address,
        password_hash=EXTERNAL_PASSWORD,
        role=_check_role(role),
        auth_provider=provider,
    )
    session.add(user)
    await session.flush()
    return user


async def find_user(*, session: AsyncSession, email: str) -> User | None:
    """The user with this e-mail address, or None."""
    return await session.scalar(select(User).where(User.email == normalize_email(email)))


async def list_users(*, session: AsyncSession) -> list[User]:
    """Every user, by id."""
    return list((await session.scalars(select(User).order_by(User.id))).all())


async def get_user(*, session: AsyncSession, user_id: int) -> User:
    """One user; NotFound when there is none."""
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound(f"User {user_id} not found")
    return user


async def _active_admins(session: AsyncSession) -> int:
    query = select(func.count()).select_from(User).where(User.role == "admin", User.is_active)
    return int(await session.scalar(query) or 0)


async def _lock_admins(session: AsyncSession) -> None:
    """Lock the active admins' rows until the transaction ends (PostgreSQL; on SQLite the
    first write of the transaction takes the database's one write lock instead)."""
    query = select(User.id).where(User.role == "admin", User.is_active).order_by(User.id)
    await session.execute(query.with_for_update())


async def _keep_an_admin(session: AsyncSession, what: str) -> None:
    """Write the pending change, then undo it if no active admin is left.

    Counted inside the writing transaction, after ``_lock_admins``: two admins demoting
    each other at the same moment are serialized, and the second one is refused.
    """
    await session.flush()
    if await _active_admins(session) == 0:
        await session.rollback()
        raise Conflict(f"Cannot {what} the last admin; make another user admin first")


async def update_user(
    *,
    session: AsyncSession,
    user_id: int,
    email: str | None = None,
    password: str | None = None,
    role: str | None = None,
    is_active: bool | None = None,
    reset_two_factor: bool = False,
    zones: Sequence[str] | None = None,
) -> User:
    """Change a user; None leaves a field alone. The last active admin stays an admin.

    Leaving the manager role drops the user's zone grants, so none linger unused.
    ``zones`` (checked absolute names) replace a manager's grants in the same transaction.
    """
    user = await get_user(session=session, user_id=user_id)
    losing_admin = (role is not None and role != "admin") or is_active is False
    if losing_admin:
        await _lock_admins(session)
    if email is not None:
        user.email = await _check_email_free(session, email, except_id=user.id)
    if password is not None:
        check_password_policy(password, email=user.email)
        user.password_hash = await hash_password(password)
    if role is not None:
        if user.role == "manager" and _check_role(role) != "manager":
            await session.execute(delete(ZoneGrant).where(ZoneGrant.user_id == user.id))
        user.role = _check_role(role)
    if is_active is not None:
        user.is_active = is_active
    if reset_two_factor:
        twofactor.reset(user)
    if zones is not None and user.role == "manager":
        await grants.replace_grants(session=session, user_id=user.id, zones=list(zones))
    if losing_admin:
        await _keep_an_admin(session, "demote or deactivate")
    await session.commit()
    return user


async def set_record_limits(
    *, session: AsyncSession, user: User, limits: RecordLimits | None
) -> User:
    """Limit the RRsets ``user`` may write (None: no limits)."""
    user.record_limits = None if limits is None else limits.to_json()
    await session.commit()
    return user


async def delete_user(*, session: AsyncSession, user_id: int, actor: User) -> User:
    """Delete a user with their tokens and grants; not yourself, not the last admin."""
    user = await get_user(session=session, user_id=user_id)
    if user.id == actor.id:
        raise Conflict("You cannot delete your own account")
    await _lock_admins(session)
    await session.delete(user)
    await _keep_an_admin(session, "delete")
    await session.commit()
    return user


async def change_own_password(
    *, session: AsyncSession, user: User, current_password: str, new_password: str
) -> None:
    """Set a new password after checking the current one and the policy."""
    if not await verify_password(current_password, user.password_hash):
        raise PermissionDenied("The current password is wrong")
    check_password_policy(new_password, email=user.email, field="new_password")
    if current_password == new_password:
        raise InvalidInput("new_password", "must differ from the current password")
    user.password_hash = await hash_password(new_password)
    await session.commit()


async def count_users(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(User)) or 0)


async def bootstrap_admin(
    *, session: AsyncSession, email: str | None, password: str | None
) -> User | None:
    """Create the configured admin when no user exists yet (first start)."""
    if not email or not password or await count_users(session) > 0:
        return None
    try:
        user = await create_user(session=session, email=email, password=password, role="admin")
    except (Conflict, IntegrityError):
        # Another DNSMate process on this database, started at the same moment, was first.
        await session.rollback()
        return None
    log.info("Created admin user %s", user.email)
    return user
