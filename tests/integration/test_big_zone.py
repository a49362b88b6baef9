"""A 100,000-record zone: import in chunks, export, and version storage that stays small."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.models import ZoneVersion
from dnsmate.services.zonedata.records import MAX_PATCH_RRSETS
from tests.conftest import Api
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query

RECORDS = 100_000
EDITS = 100


def address(i: int) -> str:
    return f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"


async def test_100k_zone_import_export_and_version_storage(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    for server in await register_servers(api.client, pdns_servers, (True, True, True)):
        # Big PATCHes on three servers sharing two busy cores can take more than 3 s.
        await api.client.put(f"/api/settings/powerdns/{server['id']}", json={"timeout_seconds": 60})
    zone = unique_zone("big")
    try:
        await _import_edit_and_check(api, pdns_servers, zone)
    finally:
        # The session's servers are shared: later tests (backups, status) should not have
        # to read 100,000 records.
        await api.client.delete(f"/api/zones/{zone}", timeout=600)


async def _import_edit_and_check(api: Api, pdns_servers: list[LocalPowerDNS], zone: str) -> None:
    hosts = [f"h{i}\t300\tIN\tA\t{address(i)}" for i in range(RECORDS)]
    text = "\n".join([f"$ORIGIN {zone}.", "@ 3600 IN NS ns1.example.net.", *hosts]) + "\n"

    imported = await api.client.post(
        f"/api/zones/{zone}/import", content=text.encode(), params={"dry_run": False},
        headers={"Content-Type": "text/plain"}, timeout=600,
    )  # fmt: skip

    assert imported.status_code == 201, imported.text[-800:]
    body = imported.json()
    assert body["plan"]["adds"] == RECORDS + 1 and body["plan"]["truncated"] is True
    chunks = -(-(RECORDS + 1) // MAX_PATCH_RRSETS)
    assert body["patches"] == {s.name: chunks for s in pdns_servers}
    assert body["atomic"] is False and "each PATCH is atomic on its own" in body["atomicity"]
    for server in pdns_servers:
        assert dns_query(server, f"h{RECORDS - 1}.{zone}.", "A") == [address(RECORDS - 1)]

    exported = await api.client.get(f"/api/zones/{zone}/export", timeout=600)
    assert exported.status_code == 200
    lines = exported.text.splitlines()
    assert sorted(line for line in lines if line.startswith("h")) == sorted(hosts)

    import_version = (await api.client.get(f"/api/zones/{zone}/versions")).json()["items"][0]
    async with httpx.AsyncClient(transport=api.client._transport, base_url=api.client.base_url,
                                 headers=api.client.headers, timeout=60) as client:  # fmt: skip
        for i in range(EDITS):
            added = await client.post(f"/api/records/{zone}", json={
                "name": f"edit{i}", "type": "TXT", "content": f"edit {i}"})  # fmt: skip
            assert added.status_code == 201, added.text

    listing = (await api.client.get(f"/api/zones/{zone}/versions")).json()
    assert listing["total"] == EDITS + 1  # the import (one CreateZone), the edits
    content = await api.client.get(
        f"/api/zones/{zone}/versions/{import_version['id']}", params={"page": 1, "per_page": 5}
    )
    assert content.json()["total_rrsets"] == RECORDS + 2  # + NS and SOA
    diff = await api.client.get(
        f"/api/zones/{zone}/versions/compare", params={"from": import_version["id"]}
    )
    assert (diff.json()["adds"], diff.json()["changes"], diff.json()["deletes"]) == (EDITS, 0, 0)
    async with api.context.sessions() as session:
        deltas, snapshots, full = (
            await session.execute(
                select(
                    func.sum(func.length(ZoneVersion.delta)),
                    func.sum(func.length(ZoneVersion.snapshot)),
                    func.count(ZoneVersion.snapshot),
                ).where(ZoneVersion.zone == f"{zone}.")
            )
        ).one()
    # The import is one delta holding the 100,000 records once; each edit adds a few hundred
    # bytes, not a copy of the zone.
    import_bytes = await _import_delta_size(api, import_version["id"])
    assert full == 1
    assert deltas - import_bytes < EDITS * 300
    assert deltas + snapshots < 3_000_000


async def _import_delta_size(api: Api, version_id: int) -> int:
    async with api.context.sessions() as session:
        size = await session.scalar(
            select(func.length(ZoneVersion.delta)).where(ZoneVersion.id == version_id)
        )
    return int(size or 0)
