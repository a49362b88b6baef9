"""RRsets as plans, diffs and version contents show them."""

from __future__ import annotations

from pydantic import BaseModel, Field


class RecordState(BaseModel):
    content: str
    disabled: bool


class CommentState(BaseModel):
    content: str
    account: str


class RRsetPublic(BaseModel):
    name: str
    type: str
    ttl: int
    records: list[RecordState]
    comments: list[CommentState] | None = Field(
        default=None,
        description="Versions, their diffs and rollbacks: the RRset's comments (null or "
        "absent when not known, as in versions recorded before comments were kept)",
    )


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
