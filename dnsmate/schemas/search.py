"""Search answers."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class SearchItem(BaseModel):
    """A matching zone (``type``, ``content`` and ``ttl`` null) or record."""

    object_type: Literal["zone", "record"]
    zone: str
    name: str
    type: str | None
    content: str | None
    ttl: int | None
    disabled: bool


class SearchPublic(BaseModel):
    items: list[SearchItem]
    total: int | None = Field(description="null when there are more matches than were scanned")
    has_more: bool
    page: int
    per_page: int
