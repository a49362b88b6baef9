"""The PowerDNS-compatible API's bodies, as PowerDNS 4.7 answers them.

DNSMate passes PowerDNS's own JSON through, so these models document the fields clients
rely on and allow the others (``extra="allow"``); they are never used to filter an answer.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class PdnsServer(BaseModel):
    """``GET /servers/localhost``; ``version`` is that of the PowerDNS servers behind."""

    type: str
    id: str
    daemon_type: str
    version: str
    url: str
    config_url: str
    zones_url: str


class PdnsRecord(BaseModel):
    content: str
    disabled: bool = False


class PdnsComment(BaseModel):
    content: str
    account: str = ""
    modified_at: int | None = None


class PdnsRRset(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str
    type: str
    ttl: int | None = None
    records: list[PdnsRecord] = []
    comments: list[PdnsComment] = []


class PdnsZone(BaseModel):
    """A zone as PowerDNS shows it (``rrsets`` only when asked for one zone)."""

    model_config = ConfigDict(extra="allow")

    id: str
    name: str
    kind: str
    serial: int | None = None
    dnssec: bool | None = None
    account: str | None = None
    masters: list[str] = []
    rrsets: list[PdnsRRset] | None = None


class PdnsResult(BaseModel):
    """``PUT .../notify`` and ``.../rectify``."""

    result: str


class PdnsZoneFile(BaseModel):
    """``GET .../export`` when JSON is accepted (otherwise the zone file as text)."""

    zone: str
