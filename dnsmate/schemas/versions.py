"""Zone version responses."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from dnsmate.schemas.common import UTCDateTime
from dnsmate.schemas.plans import RRsetPlan, RRsetPublic


class VersionPublic(BaseModel):
    id: int
    zone: str
    created_at: UTCDateTime
    actor: str | None
    via: str
    action: str
    summary: str
    added: int
    changed: int
    deleted: int
    rrset_count: int


class VersionsPublic(BaseModel):
    items: list[VersionPublic]
    total: int
    page: int
    per_page: int


class RetentionValues(BaseModel):
    max_per_zone: int | None
    max_age_days: float | None


class VersionSettingsPublic(BaseModel):
    """The retention in force, what is stored (null: not set) and the environment's defaults."""

    max_per_zone: int
    max_age_days: float
    stored: RetentionValues
    defaults: RetentionValues


class VersionSettingsUpdate(BaseModel):
    """Both values; null returns one to its default (DNSMATE_VERSION_MAX_*)."""

    max_per_zone: int | None = Field(
        description="Versions kept per zone (the newest is always kept)", ge=1, le=1_000_000
    )
    max_age_days: float | None = Field(
        description="Versions older than this many days are removed",
        gt=0,
        le=36_500,
        allow_inf_nan=False,
    )


class VersionDelta(BaseModel):
    """One RRset as this version changed it (``before`` null: added; ``after`` null: deleted)."""

    name: str
    type: str
    before: RRsetPublic | None
    after: RRsetPublic | None


class VersionContent(VersionPublic):
    """A version, what it changed, and (a page of) the zone's content as of it."""

    delta: list[VersionDelta]
    delta_truncated: bool
    total_rrsets: int
    rrsets: list[RRsetPublic]


class VersionChanges(VersionPublic):
    """A version and the RRsets it added, changed (before and after) and removed."""

    plan: RRsetPlan


class VersionDiff(RRsetPlan):
    """What changed from version ``from`` to version ``to``."""

    model_config = ConfigDict(populate_by_name=True)

    zone: str
    from_: int = Field(alias="from")
    to: int
