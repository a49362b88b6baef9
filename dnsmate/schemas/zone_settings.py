"""Zone settings after creation: kind, masters, SOA-EDIT-API and metadata."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ZoneSettingsPublic(BaseModel):
    """A zone's settings as the read server has them."""

    name: str
    kind: str | None
    masters: list[str]
    soa_edit_api: str
    metadata: dict[str, list[str]] = Field(
        description="ALSO-NOTIFY, ALLOW-AXFR-FROM, AXFR-MASTER-TSIG, TSIG-ALLOW-AXFR, SOA-EDIT"
    )


class ZoneSettingsUpdate(BaseModel):
    """The settings to change; a field left out stays as each server has it."""

    kind: str | None = Field(default=None, examples=["Master"])
    masters: list[str] | None = Field(default=None, examples=[["192.0.2.53"]])
    soa_edit_api: str | None = Field(default=None, examples=["DEFAULT"])
    metadata: dict[str, list[str]] | None = Field(
        default=None,
        examples=[{"ALSO-NOTIFY": ["192.0.2.54"], "ALLOW-AXFR-FROM": ["192.0.2.0/24"]}],
        description="Metadata kinds to set; [] removes a kind",
    )
