"""RRsets as plans, diffs and version contents show them."""

from __future__ import annotations

from pydantic import BaseModel, Field


class RecordState(BaseModel):
    content: str
    disabled: bool


class RRsetPublic(BaseModel):
    name: str
    type: str
    ttl: int
    records: list[RecordState]


class RRsetChange(BaseModel):
    name: str
    type: str
    before: RRsetPublic
    after: RRsetPublic


class RRsetPlan(BaseModel):
    """RRsets a change adds, changes (before and after) and deletes, with complete counts."""

    adds: int
    changes: int
    deletes: int
    added: list[RRsetPublic]
    changed: list[RRsetChange]
    deleted: list[RRsetPublic]
    truncated: bool = Field(description="A list was cut at its limit; the counts are complete")
