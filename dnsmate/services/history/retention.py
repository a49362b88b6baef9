"""Version retention settings: stored in the database, the environment gives the defaults.

``DNSMATE_VERSION_MAX_PER_ZONE`` and ``DNSMATE_VERSION_MAX_AGE_DAYS`` apply until an admin
sets other values (``PUT /api/settings/versions``); setting a value back to null returns to
the environment's. The background retention (``VersionRetention.prune``) reads them on
every pass, so a change applies to the next pass without a restart.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.config import Settings
from dnsmate.models import VersionSettings


@dataclass(frozen=True)
class Retention:
    """The retention in force: stored values where set, else the environment's defaults."""

    max_per_zone: int
    max_age_days: float
    default_max_per_zone: int
    default_max_age_days: float
    stored_max_per_zone: int | None = None
    stored_max_age_days: float | None = None

    def public(self) -> dict[str, object]:
        return {
            "max_per_zone": self.max_per_zone,
            "max_age_days": self.max_age_days,
            "stored": {
                "max_per_zone": self.stored_max_per_zone,
                "max_age_days": self.stored_max_age_days,
            },
            "defaults": {
                "max_per_zone": self.default_max_per_zone,
                "max_age_days": self.default_max_age_days,
            },
        }


async def get_retention(*, session: AsyncSession, settings: Settings) -> Retention:
    """The retention in force (the environment's values until an admin stores others)."""
    row = await session.get(VersionSettings, 1)
    per_zone = row.max_per_zone if row is not None else None
    age = row.max_age_days if row is not None else None
    return Retention(
        max_per_zone=settings.version_max_per_zone if per_zone is None else per_zone,
        max_age_days=settings.version_max_age_days if age is None else age,
        default_max_per_zone=settings.version_max_per_zone,
        default_max_age_days=settings.version_max_age_days,
        stored_max_per_zone=per_zone,
        stored_max_age_days=age,
    )


async def set_retention(
    *,
    session: AsyncSession,
    settings: Settings,
    max_per_zone: int | None,
    max_age_days: float | None,
) -> Retention:
    """Store both values (None: use the environment's) and return the retention in force."""
    row = await session.get(VersionSettings, 1)
    if row is None:
        row = VersionSettings(id=1)
        session.add(row)
    row.max_per_zone, row.max_age_days = max_per_zone, max_age_days
    await session.commit()
    return await get_retention(session=session, settings=settings)
