"""Zone settings after creation: kind, masters, SOA-EDIT-API, catalog and metadata; a
catalog's members."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ZoneSettingsPublic(BaseModel):
    """A zone's settings as the read server has them."""

    name: str
    kind: str | None
    masters: list[str]
    soa_edit_api: str
    catalog: str = Field(description='The Producer zone this zone is a member of ("": none)')
    metadata: dict[str, list[str]] = Field(
        description="ALSO-NOTIFY, ALLOW-AXFR-FROM, AXFR-MASTER-TSIG, TSIG-ALLOW-AXFR, SOA-EDIT"
    )


class ZoneSettingsUpdate(BaseModel):
    """The settings to change; a field left out stays as each server has it."""

    kind: str | None = Field(default=None, examples=["Master"])
    masters: list[str] | None = Field(default=None, examples=[["192.0.2.53"]])
    soa_edit_api: str | None = Field(default=None, examples=["DEFAULT"])
    catalog: str | None = Field(
        default=None,
        examples=["catalog.example"],
        description='Make the zone (kind Master) a member of this Producer zone; "" takes it '
        "out of its catalog",
    )
    metadata: dict[str, list[str]] | None = Field(
        default=None,
        examples=[{"ALSO-NOTIFY": ["192.0.2.54"], "ALLOW-AXFR-FROM": ["192.0.2.0/24"]}],
        description="Metadata kinds to set; [] removes a kind",
    )


class CatalogMembersPublic(BaseModel):
    """A Producer (catalog) zone's member zones, as the read server has them."""

    catalog: str
    members: list[str] = Field(description="Member zones the caller may read, by name")
    count: int
