"""Login throttling: progressive delays, never a lock-out; in the database, so every app
process sees the same counts.

Failures are counted per (account, client address). The first ``PAIR_FREE`` failures within
``WINDOW`` cost nothing; each further one doubles the wait before the next attempt from that
address for that account (30 s, 1 min, 2 min, ... at most ``PAIR_MAX_DELAY``). Failures for an
account from all addresses together slow down addresses that have not logged in to it
successfully lately, but only up to ``ACCOUNT_MAX_DELAY``: nobody can lock an account, the
admin's included, by guessing wrong from elsewhere, and an address that logged in
successfully within ``TRUSTED`` stays usable. A success clears its address's failures.

Counting is atomic: an attempt is stored (and committed) before the password is checked, and
it is judged against every other attempt stored so far, so concurrent guesses see each other
instead of all passing one check.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.db import as_utc, utcnow
from dnsmate.models import LoginAttempt
from dnsmate.services.errors import TooManyAttempts

WINDOW = timedelta(minutes=15)
PAIR_FREE = 5
PAIR_FIRST_DELAY = timedelta(seconds=30)
PAIR_MAX_DELAY = timedelta(minutes=15)
ACCOUNT_FREE = 20
ACCOUNT_FIRST_DELAY = timedelta(seconds=15)
ACCOUNT_MAX_DELAY = timedelta(minutes=1)
TRUSTED = timedelta(days=1)
# Attempts older than this are deleted; they no longer count for anything.
KEEP = timedelta(days=1)


def delay_after(failures: int, *, free: int, first: timedelta, ceiling: timedelta) -> timedelta:
    """The wait after ``failures`` recent failures: none for the first ``free``, then
    ``first``, doubling with each further failure, at most ``ceiling``."""
    if failures < free:
        return timedelta(0)
    delay: timedelta = first * 2 ** min(failures - free, 20)
    return min(ceiling, delay)


@dataclass(frozen=True)
class Attempt:
    """A login attempt stored before the password is checked."""

    id: int
    email: str
    client_ip: str


async def _failures(
    session: AsyncSession, own: int, *conditions: ColumnElement[bool]
) -> tuple[int, datetime | None]:
    """How many other failures match ``conditions`` in the window, and the latest one."""
    query = select(func.count(), func.max(LoginAttempt.created_at)).where(
        LoginAttempt.succeeded.is_(False),
        LoginAttempt.cleared.is_(False),
        LoginAttempt.created_at >= utcnow() - WINDOW,
        LoginAttempt.id != own,
        *conditions,
    )
    count, latest = (await session.execute(query)).one()
    return int(count), None if latest is None else as_utc(latest)


async def begin_attempt(
    *, session: AsyncSession, email: str, client_ip: str, account_wide: bool = True
) -> Attempt:
    """Store an attempt, or raise TooManyAttempts (storing nothing) while it must wait.

    ``account_wide`` False counts only this address's failures: for an "account" that is
    not one person's (a single sign-on provider, which everyone's callbacks share), where
    failures from elsewhere would slow everybody down.
    """
    row = LoginAttempt(email=email, client_ip=client_ip, succeeded=False, created_at=utcnow())
    session.add(row)
    await session.commit()
    attempt = Attempt(id=row.id, email=email, client_ip=client_ip)
    pair = (LoginAttempt.email == email, LoginAttempt.client_ip == client_ip)
    count, latest = await _failures(session, attempt.id, *pair)
    delay = delay_after(count, free=PAIR_FREE, first=PAIR_FIRST_DELAY, ceiling=PAIR_MAX_DELAY)
    until = _until(latest, delay)
    if account_wide and not await _trusted(session, email, client_ip):
        count, latest = await _failures(session, attempt.id, LoginAttempt.email == email)
        delay = delay_after(
            count, free=ACCOUNT_FREE, first=ACCOUNT_FIRST_DELAY, ceiling=ACCOUNT_MAX_DELAY
        )
        until = max(until, _until(latest, delay))
    wait = math.ceil((until - utcnow()).total_seconds())
    if wait > 0:
        await session.execute(delete(LoginAttempt).where(LoginAttempt.id == attempt.id))
        await session.commit()
        raise TooManyAttempts(
            f"Too many failed logins; try again in {wait} second{'s' if wait != 1 else ''}",
            retry_after=wait,
        )
    return attempt


def _until(latest: datetime | None, delay: timedelta) -> datetime:
    return utcnow() if latest is None or not delay else latest + delay


async def _trusted(session: AsyncSession, email: str, client_ip: str) -> bool:
    query = select(LoginAttempt.id).where(
        LoginAttempt.email == email,
        LoginAttempt.client_ip == client_ip,
        LoginAttempt.succeeded.is_(True),
        LoginAttempt.created_at >= utcnow() - TRUSTED,
    )
    return (await session.scalar(query.limit(1))) is not None


async def finish_attempt(*, session: AsyncSession, attempt: Attempt, succeeded: bool) -> None:
    """Record the outcome; a success clears the failures of its (account, address)."""
    if succeeded:
        await session.execute(
            update(LoginAttempt).where(LoginAttempt.id == attempt.id).values(succeeded=True)
        )
        await session.execute(
            update(LoginAttempt)
            .where(
                LoginAttempt.email == attempt.email,
                LoginAttempt.client_ip == attempt.client_ip,
                LoginAttempt.succeeded.is_(False),
            )
            .values(cleared=True)
        )
    now = utcnow()
    await session.execute(delete(LoginAttempt).where(LoginAttempt.created_at < now - KEEP))
    await session.commit()


async def forget_attempt(*, session: AsyncSession, attempt: Attempt) -> None:
    """Drop an attempt that was neither a success nor a failure (the code was still due)."""
    await session.execute(delete(LoginAttempt).where(LoginAttempt.id == attempt.id))
    await session.commit()
