"""Zone version responses."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class VersionPublic(BaseModel):
    id: int
    zone: str
    created_at: datetime
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
