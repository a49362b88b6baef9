"""Record-change defaults kept in the database: automatic PTR upkeep."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.models import RecordSettings


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
