"""Zone version responses."""

from __future__ import annotations

from pydantic import BaseModel

from dnsmate.schemas.common import UTCDateTime


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
