"""The PowerDNS-compatible API's bodies, as PowerDNS 4.7 answers them.

DNSMate passes PowerDNS's own JSON through, so these models document the fields clients
rely on and allow the others (``extra="allow"``); they are never used to filter an answer.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class PdnsError(BaseModel):
    """Every error of the PowerDNS-compatible API, as PowerDNS answers its errors."""

    model_config = ConfigDict(extra="forbid")

    error: str


class PdnsServer(BaseModel):
    """``GET /servers/localhost``; ``version`` is that of the PowerDNS servers behind."""

    type: str
    id: str
    daemon_type: str
    version: str
    url: str
    config_url: str
    zones_url: str
    autoprimaries_url: str


class PdnsApiVersion(BaseModel):
    """``GET /api``: one entry per API version."""

    url: str
    version: int


class PdnsApiRoot(BaseModel):
    """``GET /api/v1``."""

    api_features: list[str]
    server_url: str


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
    url: str | None = None
    serial: int | None = None
    edited_serial: int | None = None
    notified_serial: int | None = None
    last_check: int | None = None
    dnssec: bool | None = None
    account: str | None = None
    catalog: str | None = None
    masters: list[str] = []
    rrsets: list[PdnsRRset] | None = None


class PdnsCryptokey(BaseModel):
    """A DNSSEC key as PowerDNS shows it (``privatekey`` only for one key, to owners)."""

    model_config = ConfigDict(extra="allow")

    type: str = "Cryptokey"
    id: int
    keytype: str
    active: bool
    published: bool = True
    dnskey: str
    ds: list[str] = []
    flags: int | None = None
    algorithm: str | None = None
    bits: int | None = None
    privatekey: str | None = None


class PdnsAutoprimary(BaseModel):
    """An autoprimary: a primary allowed to provision zones on the servers by NOTIFY."""

    ip: str
    nameserver: str
    account: str = ""


class PdnsSearchResult(BaseModel):
    """A ``search-data`` match: a zone, a record or a comment."""

    model_config = ConfigDict(extra="allow")

    object_type: str
    name: str
    zone_id: str


class PdnsStatistic(BaseModel):
    """A ``StatisticItem`` (``value`` a string), ``MapStatisticItem`` or ``RingStatisticItem``
    (``value`` a list of name/value objects; rings also have ``size``)."""

    model_config = ConfigDict(extra="allow")

    name: str
    type: str
    value: str | list[dict[str, str]]


class PdnsConfigSetting(BaseModel):
    """One ``ConfigSetting`` of ``GET /config``."""

    name: str
    type: str = "ConfigSetting"
    value: str


class PdnsCacheFlush(BaseModel):
    """``PUT /cache/flush``: the entries dropped on every server together."""

    count: int
    result: str


class PdnsResult(BaseModel):
    """``PUT .../notify`` and ``.../rectify``."""

    result: str


class PdnsZoneFile(BaseModel):
    """``GET .../export`` when JSON is accepted (otherwise the zone file as text)."""

    zone: str
