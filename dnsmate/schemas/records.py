"""Record requests and responses."""

from __future__ import annotations

from pydantic import BaseModel, Field

from dnsmate.schemas.common import PUBLIC

DEFAULT_TTL = 3600


class RecordCreate(BaseModel):
    name: str = Field(max_length=255, examples=["www", "@", "test.example.com"])
    type: str = Field(max_length=10, examples=["A"])
    content: str = Field(max_length=65535, examples=["192.168.1.100"])
    ttl: int | None = Field(
        default=None,
        examples=[300],
        description=f"Omit to keep the RRset's TTL ({DEFAULT_TTL} for a new RRset); a TTL "
        "given applies to every record of this name and type",
    )


class RecordUpdate(BaseModel):
    old_content: str = Field(max_length=65535, description="The record being replaced")
    content: str = Field(max_length=65535)
    ttl: int | None = Field(default=None, description="Omit to keep the RRset's TTL")


class RecordComment(BaseModel):
    """A PowerDNS RRset comment (it belongs to the name and type, not to one record)."""

    content: str = Field(min_length=1, max_length=4000, examples=["web server, ticket 42"])
    account: str = Field(
        default="", max_length=100, description="Who wrote it; empty: the caller's e-mail"
    )
    modified_at: int | None = Field(default=None, description="Unix time, set by PowerDNS")


class CommentsUpdate(BaseModel):
    comments: list[RecordComment] = Field(description="The RRset's comments; [] removes them")


class RecordDisabledUpdate(BaseModel):
    content: str = Field(max_length=65535, description="The record to disable or enable")
    disabled: bool


class RecordPublic(BaseModel):
    model_config = PUBLIC

    name: str
    type: str
    content: str
    ttl: int
    disabled: bool = False
    comments: list[RecordComment] = Field(
        default_factory=list, description="The comments of the record's RRset"
    )


class RecordsPublic(BaseModel):
    items: list[RecordPublic]
    total: int
    page: int
    per_page: int


class BulkDeleteFilter(BaseModel):
    name: str = Field(
        min_length=1,
        max_length=255,
        examples=["*.dev", "old-*"],
        description="Glob on the record name, relative to the zone or absolute",
    )
    type: str | None = Field(default=None, max_length=10, examples=["A"])
    dry_run: bool = True


class PtrZone(BaseModel):
    """A reverse zone that PTR upkeep changed, and where."""

    zone: str
    success_servers: list[str]
    failed_servers: list[str]


class PtrResult(BaseModel):
    """What PTR upkeep did, and why some addresses got no PTR."""

    zones: list[PtrZone]
    notes: list[str]
    addresses: int | None = Field(default=None, description="A/AAAA addresses considered")
