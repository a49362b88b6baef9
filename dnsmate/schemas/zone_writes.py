"""The answers of the zone-setting writes (SOA, disabled flag, comments, zone settings,
NOTIFY and retrieve): the route's fields merged with the outcome keys, as in ``writes``."""

from __future__ import annotations

from pydantic import BaseModel, Field

from dnsmate.schemas.outcomes import Partial, Written
from dnsmate.schemas.records import RecordComment
from dnsmate.schemas.soa import SoaFields


class SoaChangedFields(SoaFields):
    zone: str


class SoaChanged(SoaChangedFields, Written):
    """200: the given SOA fields set on every target."""


class SoaChangedPartial(SoaChangedFields, Partial):
    """207/202: set on some targets (or queued)."""


class RecordDisabledFields(BaseModel):
    name: str
    type: str
    content: str
    disabled: bool


class RecordDisabledChanged(RecordDisabledFields, Written):
    """200: the record disabled (or enabled) on every target."""


class RecordDisabledChangedPartial(RecordDisabledFields, Partial):
    """207/202: on some targets (or queued)."""


class CommentsFields(BaseModel):
    name: str
    type: str
    comments: list[RecordComment]


class CommentsChanged(CommentsFields, Written):
    """200: the RRset's comments set on every target."""


class CommentsChangedPartial(CommentsFields, Partial):
    """207/202: on some targets (or queued)."""


class ZoneSettingsFields(BaseModel):
    name: str
    kind: str | None = None
    masters: list[str] | None = None
    soa_edit_api: str | None = None
    catalog: str | None = Field(
        default=None, description='The catalog set ("": the zone left its catalog)'
    )
    metadata: dict[str, list[str]] = Field(description="The metadata kinds set ([]: removed)")


class ZoneSettingsChanged(ZoneSettingsFields, Written):
    """200: the settings set on every target."""


class ZoneSettingsChangedPartial(ZoneSettingsFields, Partial):
    """207/202: on some targets (or queued)."""


class ZoneActionFields(BaseModel):
    name: str


class ZoneActionDone(ZoneActionFields, Written):
    """200: every target did it (sent NOTIFY, or transferred the zone)."""


class ZoneActionDonePartial(ZoneActionFields, Partial):
    """207/202: some targets did it (or it is queued for them)."""
