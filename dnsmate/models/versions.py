"""Zone versions: one row per change of a zone, stored as a delta.

Most rows hold only the RRsets the change touched (``delta``: before and after, compressed
JSON). Some rows also hold the whole zone as it was after them (``snapshot``): the first
version of a zone, a version after which the deltas since the last snapshot add up to the
size of the zone, and the oldest version retention keeps. A version's content is rebuilt
from the nearest snapshot at or before it plus the deltas after that snapshot, so a
100,000-record zone edited 1,000 times costs one snapshot and 1,000 small deltas, not 1,000
copies. The stored forms are ``dnsmate.services.history.version_codec``'s.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from dnsmate.db import Base, utcnow


class ZoneVersion(Base):
    __tablename__ = "zone_versions"
    __table_args__ = (Index("ix_zone_versions_zone_id", "zone", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    zone: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str | None] = mapped_column(String(320), nullable=True)
    via: Mapped[str] = mapped_column(String(100), default="api")
    action: Mapped[str] = mapped_column(String(50))
    summary: Mapped[str] = mapped_column(String(500))
    added: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    deleted: Mapped[int] = mapped_column(Integer, default=0)
    # RRsets in the zone after this version, and RRsets in deltas since the last snapshot.
    rrset_count: Mapped[int] = mapped_column(Integer, default=0)
    since_snapshot: Mapped[int] = mapped_column(Integer, default=0)
    delta: Mapped[bytes] = mapped_column(LargeBinary)
    snapshot: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)


class VersionSettings(Base):
    """The single row (id 1) of version retention settings; absent or NULL: the defaults.

    The defaults are ``DNSMATE_VERSION_MAX_PER_ZONE`` and ``DNSMATE_VERSION_MAX_AGE_DAYS``.
    """

    __tablename__ = "version_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    max_per_zone: Mapped[int | None] = mapped_column(Integer, nullable=True, default=None)
    max_age_days: Mapped[float | None] = mapped_column(Float, nullable=True, default=None)
