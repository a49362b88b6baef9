"""Teams: TeamSave (create or replace) and TeamPublic."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from dnsmate.schemas.common import RowId
from dnsmate.schemas.limits import RecordLimitsBody


class TeamSave(BaseModel):
    """A team as a whole: saving replaces its name, members, zones and limits."""

    name: str = Field(min_length=1, max_length=100)
    members: list[RowId] = Field(default_factory=list, max_length=10000, description="user ids")
    zones: list[str] = Field(default_factory=list, max_length=10000)
    # The RRsets the team's managers may write in its zones; null: no limits.
    record_limits: RecordLimitsBody | None = None


class TeamPublic(BaseModel):
    id: int
    name: str
    members: list[str]
    member_ids: list[int]
    zones: list[str]
    record_limits: dict[str, Any] | None
