"""Zone export (one zone as a zone file) and backups (every zone in one archive + manifest)."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import tarfile
import time
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from dnsmate import __version__
from dnsmate.powerdns.client import JSON, PowerDNSClient
from dnsmate.powerdns.errors import PowerDNSNotFound
from dnsmate.powerdns.names import display, fqdn
from dnsmate.services.errors import NotFound
from dnsmate.services.write.multi_powerdns import MultiPowerDNSService
from dnsmate.services.zonedata.zonefile import export_text

ArchiveFormat = Literal["tar.gz", "zip"]
# Zones fetched at once for a backup: PowerDNS's webserver has a listen backlog of 10.
BACKUP_CONCURRENCY = 4


def _header(zone: JSON, server: str) -> list[str]:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return [
        f"Zone {zone['name']} exported by DNSMate {__version__} from {server} at {now}",
        f"Serial {zone.get('serial')}, kind {zone.get('kind')}",
    ]


async def export_zone(*, multi: MultiPowerDNSService, zone: str) -> str:
    """The zone as an RFC 1035 zone file, read from the reference server."""
    name = fqdn(zone)

    async def read(client: PowerDNSClient) -> tuple[str, JSON]:
        return client.name, await client.get_zone(name)

    try:
        server, data = await multi.read(read)
    except PowerDNSNotFound as exc:
        raise NotFound(f"Zone {display(name)} not found") from exc
    return export_text(zone=name, rrsets=data.get("rrsets", []), header=_header(data, server))


@dataclass
class Backup:
    content: bytes
    filename: str
    media_type: str


async def build_backup(*, multi: MultiPowerDNSService, fmt: ArchiveFormat) -> Backup:
    """Every zone of the reference server as ``zones/<name>zone`` files and ``manifest.json``."""
    server, zones = await multi.read(_read_all)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    files: list[tuple[str, bytes]] = []
    entries: list[dict[str, Any]] = []
    for data in zones:
        text = export_text(zone=data["name"], rrsets=data.get("rrsets", []),
                           header=_header(data, server)).encode()  # fmt: skip
        path = f"zones/{display(data['name'])}.zone"
        files.append((path, text))
        entries.append({
            "name": display(data["name"]), "file": path, "kind": data.get("kind"),
            "serial": data.get("serial"), "dnssec": data.get("dnssec", False),
            "rrsets": len(data.get("rrsets", [])),
            "records": sum(len(r.get("records", [])) for r in data.get("rrsets", [])),
            "sha256": hashlib.sha256(text).hexdigest(),
        })  # fmt: skip
    manifest = {
        "format": "dnsmate-backup",
        "format_version": 1,
        "dnsmate_version": __version__,
        "created_at": datetime.now(UTC).isoformat(),
        "server": server,
        "zone_count": len(entries),
        "zones": entries,
    }
    files.insert(0, ("manifest.json", json.dumps(manifest, indent=2).encode()))
    name = f"dnsmate-backup-{stamp}"
    if fmt == "zip":
        return Backup(_zip(name, files), f"{name}.zip", "application/zip")
    return Backup(_tar_gz(name, files), f"{name}.tar.gz", "application/gzip")


async def _read_all(client: PowerDNSClient) -> tuple[str, list[JSON]]:
    """Every zone with its RRsets, from one server (so the backup is one server's view)."""
    listed = await client.list_zones()
    limit = asyncio.Semaphore(BACKUP_CONCURRENCY)

    async def one(zone: JSON) -> JSON | None:
        async with limit:
            try:
                return await client.get_zone(zone["name"])
            except PowerDNSNotFound:
                return None  # deleted while the backup ran

    found = await asyncio.gather(*(one(z) for z in listed))
    zones = sorted((z for z in found if z is not None), key=lambda z: str(z["name"]))
    return client.name, zones


def _tar_gz(name: str, files: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for path, data in files:
            info = tarfile.TarInfo(f"{name}/{path}")
            info.size, info.mtime, info.mode = len(data), int(time.time()), 0o644
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _zip(name: str, files: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, data in files:
            archive.writestr(f"{name}/{path}", data)
    return buffer.getvalue()
