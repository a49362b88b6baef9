"""Teams: users grouped, zones granted to the group (for its managers), optional limits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from dnsmate.db import Base, utcnow


class Team(Base):
    """A named group of users; its zones reach its managers, under its record limits."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # RecordLimits.to_json() or None: what the team's zones may be written with.
    record_limits: Mapped[Any] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TeamMember(Base):
    __tablename__ = "team_members"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class TeamZone(Base):
    """A zone granted to a team (absolute name); gone with the zone, like a ZoneGrant."""

    __tablename__ = "team_zones"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    zone: Mapped[str] = mapped_column(String(255), index=True)

    __table_args__ = (Index("uq_team_zones_team_zone", "team_id", "zone", unique=True),)
