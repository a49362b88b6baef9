"""Snapshots made from the stored chain (moved forward as text): retention's for the oldest
kept version, and the recorder's once the deltas outweigh the zone. Every version rebuilds
to exactly what it was."""

from __future__ import annotations

from sqlalchemy import select

from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.models import ZoneVersion
from dnsmate.services.history.versions import rebuild_state
from dnsmate.services.zonedata.rrset import Comment
from dnsmate.services.zonedata.zonestate import State, state_from_rrsets
from tests.conftest import ADMIN_EMAIL, Api, ApiFactory
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.syncutil import pdns_zone
from tests.integration.test_versions import create_zone, versions

Exact = dict[tuple[str, str], tuple[object, ...]]


async def stored(api: Api, zone: str, version_id: int) -> Exact:
    """Version ``version_id`` rebuilt from the stored chain alone (no rebuild cache), every
    part of every RRset compared exactly."""
    async with api.context.sessions() as session:
        state: State = await rebuild_state(session=session, zone=zone, version_id=version_id)
    return {k: (r.ttl, r.records, r.comments) for k, r in state.items() if k[1] != "SOA"}


async def test_after_several_prunes_every_kept_version_rebuilds_to_what_it_was(
    api_factory: ApiFactory, database_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    api = await api_factory(database_url)
    api.context.settings.version_max_per_zone = 10  # pruned once it holds 11
    await register_servers(api.client, pdns_servers[:1], (False,))
    zone = unique_zone("prune")
    await create_zone(api.client, zone)
    recorded: dict[int, Exact] = {}

    async def write(method: str, url: str, body: object) -> None:
        response = await api.client.request(method, url, json=body)
        assert response.status_code == 200, response.text
        await api.app.state.versions.idle()  # the prune it may have started
        newest = int((await versions(api.client, zone))[0]["id"])  # type: ignore[call-overload]
        recorded[newest] = await stored(api, zone, newest)

    for i in range(1, 31):
        ops = [{"op": "add", "name": f"h{i}", "type": "A", "content": f"192.0.2.{i}"}]
        if i > 1:
            old, new = f"192.0.2.{i - 1}", f"198.51.100.{i}"
            ops.append({"op": "update", "name": f"h{i - 1}", "type": "A",
                        "old_content": old, "content": new})  # fmt: skip
        if i > 4 and i % 2 == 0:
            ops.append({"op": "delete", "name": f"h{i - 4}", "type": "A"})
        await write("POST", f"/api/records/{zone}/bulk", ops)
        if i % 4 == 0:
            comments = {"comments": [{"content": f"#{i}"}]}
            await write("PUT", f"/api/records/{zone}/h{i}/A/comments", comments)

    kept = [int(v["id"]) for v in await versions(api.client, zone)]  # type: ignore[call-overload]

    assert min(kept) > min(recorded) + 20  # pruned several times
    for version_id in kept:
        assert await stored(api, zone, version_id) == recorded[version_id], version_id
    assert len(kept) >= 10
    assert recorded[max(kept)][(f"h28.{zone}.", "A")][2] == (Comment("#28", ADMIN_EMAIL),)


async def test_a_snapshot_stored_once_the_deltas_outweigh_the_zone_is_the_zone_then(
    api_factory: ApiFactory, database_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    api = await api_factory(database_url)
    await register_servers(api.client, pdns_servers[:1], (False,))
    zone = unique_zone("snap")
    await create_zone(api.client, zone)

    async def bulk(ops: list[dict[str, object]]) -> int:
        response = await api.client.post(f"/api/records/{zone}/bulk", json=ops)
        assert response.status_code == 200, response.text
        return int((await versions(api.client, zone))[0]["id"])  # type: ignore[call-overload]

    await bulk([{"op": "add", "name": f"h{i}", "type": "A", "content": "192.0.2.1"}
                for i in range(150)])  # fmt: skip
    # 300 RRsets of deltas since the zone's first snapshot, more than the zone's 152: the
    # recorder stores the zone after this version as a snapshot.
    update = {"op": "update", "type": "A", "old_content": "192.0.2.1", "content": "198.51.100.1"}
    snapshotted = await bulk(
        [{**update, "name": f"h{i}"} for i in range(100)]
        + [{"op": "delete", "name": f"h{i}", "type": "A"} for i in range(100, 150)]
    )
    async with api.context.sessions() as session:
        snapshot = await session.scalar(
            select(ZoneVersion.snapshot).where(ZoneVersion.id == snapshotted)
        )
    server_zone = state_from_rrsets((await pdns_zone(pdns_servers[0], zone))["rrsets"])

    assert snapshot is not None
    assert await stored(api, zone, snapshotted) == {
        k: (r.ttl, r.records, ()) for k, r in server_zone.items() if k[1] != "SOA"
    }
