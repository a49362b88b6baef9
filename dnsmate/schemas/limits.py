"""Record limits as the API takes and shows them (see dnsmate/services/access/record_limits.py)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from dnsmate.services.access.record_limits import RecordLimits

RecordType = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{1,10}$")]
NamePattern = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_*?.@\[\]-]{1,253}$")]


class RecordLimitsBody(BaseModel):
    """Which RRsets may be written: only ``types`` (None: any), never ``deny_types``, and
    only names matching ``names`` (shell patterns relative to the zone, ``@`` the apex;
    None: any). For certbot: ``{"types": ["TXT"], "names": ["_acme-challenge",
    "_acme-challenge.*"]}``; to keep the delegation: ``{"deny_types": ["NS", "SOA"]}``."""

    model_config = ConfigDict(extra="forbid")

    types: list[RecordType] | None = Field(default=None, max_length=100)
    deny_types: list[RecordType] = Field(default_factory=list, max_length=100)
    names: list[NamePattern] | None = Field(default=None, max_length=100)

    def limits(self) -> RecordLimits:
        """The service's value."""
        return RecordLimits.from_json(self.model_dump()) or RecordLimits()
