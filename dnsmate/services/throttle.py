"""Login throttling, kept in the database so every app process sees the same counts.

After ``MAX_FAILURES`` failed logins within ``WINDOW`` for one account, or from one client
address, further attempts are refused (429) until the oldest of those failures leaves the
window. A successful login clears the account's failures (not the address's).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.db import as_utc, utcnow
from dnsmate.models import LoginAttempt
from dnsmate.services.errors import TooManyAttempts

MAX_FAILURES = 10
WINDOW = timedelta(minutes=15)
# Attempts older than this are deleted; they no longer count for anything.
KEEP = timedelta(days=1)


async def _blocked_until(
    session: AsyncSession, *conditions: ColumnElement[bool]
) -> datetime | None:
    """When the MAX_FAILURES-th newest failure matching ``conditions`` leaves the window."""
    since = utcnow() - WINDOW
    rows = await session.scalars(
        select(LoginAttempt.created_at)
        .where(LoginAttempt.succeeded.is_(False), LoginAttempt.created_at >= since, *conditions)
        .order_by(LoginAttempt.created_at.desc())
        .offset(MAX_FAILURES - 1)
        .limit(1)
    )
    oldest = rows.first()
    return None if oldest is None else as_utc(oldest) + WINDOW


async def check_login_allowed(*, session: AsyncSession, email: str, client_ip: str) -> None:
    """Raise TooManyAttempts while the account or the address is cooling down."""
    account = await _blocked_until(
        session, LoginAttempt.email == email, LoginAttempt.cleared.is_(False)
    )
    address = await _blocked_until(session, LoginAttempt.client_ip == client_ip)
    until = max((t for t in (account, address) if t is not None), default=None)
    if until is None:
        return
    wait = max(1, math.ceil((until - utcnow()).total_seconds()))
    minutes = math.ceil(wait / 60)
    raise TooManyAttempts(
        f"Too many failed logins; try again in {minutes} minute{'s' if minutes != 1 else ''}",
        retry_after=wait,
    )


async def record_login_attempt(
    *, session: AsyncSession, email: str, client_ip: str, succeeded: bool
) -> None:
    """Store the attempt; a success clears the account's failures."""
    now = utcnow()
    session.add(LoginAttempt(email=email, client_ip=client_ip, succeeded=succeeded, created_at=now))
    if succeeded:
        await session.execute(
            update(LoginAttempt)
            .where(LoginAttempt.email == email, LoginAttempt.succeeded.is_(False))
            .values(cleared=True)
        )
    await session.execute(delete(LoginAttempt).where(LoginAttempt.created_at < now - KEEP))
    await session.commit()
