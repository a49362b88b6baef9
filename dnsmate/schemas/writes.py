"""The answer of each fan-out write route: its own fields merged with the outcome keys.

For every route there is a success model (``Written`` + the route's fields, 201/200) and a
partial model (``Partial`` + the same fields, 207/202); failures share ``outcomes.Failed``
and ``outcomes.RolledBack``. Plans (import, rollback, bulk) are described by ``RRsetPlan``.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from dnsmate.schemas.dnssec import DNSSECStatus
from dnsmate.schemas.outcomes import Partial, Written
from dnsmate.schemas.plans import RRsetPlan, RRsetPublic
from dnsmate.schemas.records import RecordPublic


class RecordUpdatedFields(RecordPublic):
    ttl: int | None = Field(description="null when the RRset kept its TTL")  # type: ignore[assignment]


class RecordDeletedFields(BaseModel):
    name: str
    type: str
    content: str | None = Field(description="null: the whole RRset was deleted")


class RecordCreated(RecordPublic, Written):
    """201: the record added to its RRset on every target."""


class RecordCreatedPartial(RecordPublic, Partial):
    """207/202: the record added on some targets (or queued)."""


class RecordUpdated(RecordUpdatedFields, Written):
    """200: ``old_content`` replaced with ``content`` on every target."""


class RecordUpdatedPartial(RecordUpdatedFields, Partial):
    """207/202: the record replaced on some targets (or queued)."""


class RecordDeleted(RecordDeletedFields, Written):
    """200: the record (or RRset) removed from every target."""


class RecordDeletedPartial(RecordDeletedFields, Partial):
    """207/202: the record (or RRset) removed on some targets (or queued)."""


class ZoneCreatedFields(BaseModel):
    name: str
    kind: str
    nameservers: list[str]
    masters: list[str]
    template: str | None = Field(description="The template the zone started from")


class ZoneCreated(ZoneCreatedFields, Written):
    """201: the zone exists on every target."""


class ZoneCreatedPartial(ZoneCreatedFields, Partial):
    """207/202: the zone was created on some targets (or queued)."""


class ZoneDeletedFields(BaseModel):
    name: str


class ZoneDeleted(ZoneDeletedFields, Written):
    """200: the zone is gone from every target."""


class ZoneDeletedPartial(ZoneDeletedFields, Partial):
    """207/202: the zone was deleted on some targets (or queued)."""


class SigningChanged(DNSSECStatus, Written):
    """200: signing turned on (or off) on every target, and the key status read after it."""


class SigningChangedPartial(DNSSECStatus, Partial):
    """207/202: signing changed on some targets (or queued)."""


class AppliedFields(BaseModel):
    """What applying a plan sent: PATCH requests per server (more than one: chunked)."""

    atomic: bool = Field(description="false: sent in several PATCHes, each atomic on its own")
    patches: dict[str, int] = Field(description="PATCH requests sent, per server name")
    atomicity: str | None = Field(default=None, description="Present when not atomic")


class ZonePlan(BaseModel):
    """A plan that makes a zone equal to some content (zone file, AXFR, version)."""

    zone: str
    mode: str
    zone_exists: bool
    serial: int | None
    notes: list[str]
    plan: RRsetPlan
    dry_run: bool


class ZoneImported(ZonePlan, AppliedFields, Written):
    """200 (201 when the zone was created): the plan applied on every target."""

    created: bool = Field(description="The zone did not exist and was created first")


class ZoneImportedPartial(ZonePlan, AppliedFields, Partial):
    """207/202: the plan applied on some targets (or queued)."""

    created: bool


class VersionPlan(ZonePlan):
    """A rollback's plan (``dry_run``), the version it restores."""

    version: int


class VersionRestored(VersionPlan, AppliedFields, Written):
    """200: the zone equals the version again on every target."""

    created: bool


class VersionRestoredPartial(VersionPlan, AppliedFields, Partial):
    """207/202: the version restored on some targets (or queued)."""

    created: bool


class BulkFields(BaseModel):
    zone: str
    operations: int
    counts: dict[str, int] = Field(description="Operations per kind (add, update, delete)")
    dry_run: bool


class BulkPlan(BulkFields):
    """``dry_run``: the operations validated and what they would change."""

    plan: RRsetPlan


class BulkApplied(BulkFields, AppliedFields, Written):
    """200: every operation applied on every target (one atomic PATCH per server)."""


class BulkAppliedPartial(BulkFields, AppliedFields, Partial):
    """207/202: the operations applied on some targets (or queued)."""


class BulkDeleteFields(BaseModel):
    zone: str
    dry_run: bool
    matched: int = Field(description="RRsets matching the filter")
    rrsets: list[RRsetPublic] = Field(description="The matching RRsets (up to the limit)")
    truncated: bool


class BulkDeletePlan(BulkDeleteFields):
    """``dry_run`` (or nothing matched): the RRsets that would be deleted."""


class BulkDeleted(BulkDeleteFields, AppliedFields, Written):
    """200: the matching RRsets deleted from every target."""


class BulkDeletedPartial(BulkDeleteFields, AppliedFields, Partial):
    """207/202: the matching RRsets deleted on some targets (or queued)."""
