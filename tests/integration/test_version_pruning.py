"""Retention's prunes rewrite the start of a zone's version chain (a new snapshot for the
oldest kept version): every version kept afterwards rebuilds to exactly what it was."""

from __future__ import annotations

from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.services.history.versions import rebuild_state
from dnsmate.services.zonedata.rrset import Comment
from dnsmate.services.zonedata.zonestate import State
from tests.conftest import ADMIN_EMAIL, Api, ApiFactory
from tests.integration.conftest import register_servers, unique_zone
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
