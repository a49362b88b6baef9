"""Record-change defaults kept in the database: automatic PTR upkeep."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.models import RecordSettings
from dnsmate.services.invalidation import RECORD_DEFAULTS, Invalidator, Memo


async def auto_ptr(*, session: AsyncSession) -> bool:
    """Whether A/AAAA changes keep their PTRs in step when the request does not say."""
    row = await session.get(RecordSettings, 1)
    return bool(row is not None and row.auto_ptr)


async def set_auto_ptr(*, session: AsyncSession, value: bool) -> bool:
    """Store the default and return it."""
    row = await session.get(RecordSettings, 1)
    if row is None:
        row = RecordSettings(id=1)
        session.add(row)
    row.auto_ptr = value
    await session.commit()
    return value


class RecordDefaults:
    """This process's copy of the defaults, reloaded after a change (at once here, by
    notification elsewhere on PostgreSQL) or ``ttl_seconds``: a record write reads no row."""

    def __init__(self, invalidator: Invalidator, *, ttl_seconds: float) -> None:
        self._memo: Memo[bool] = Memo(invalidator, RECORD_DEFAULTS, ttl_seconds=ttl_seconds)

    async def auto_ptr(self, session: AsyncSession) -> bool:
        return await self._memo.get_or_load(lambda: auto_ptr(session=session))
