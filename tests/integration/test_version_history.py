"""The zone history as a diff: what each version added, changed and removed, by name."""

from __future__ import annotations

from typing import Any

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import Api
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.test_versions import add, create_zone


async def test_history_shows_each_versions_changes_and_filters_by_name(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers[:2], (True, True))
    zone = unique_zone("hist")
    await create_zone(api.client, zone)
    await add(api.client, zone, "app", "A", "192.0.2.1")
    await add(api.client, zone, "other", "TXT", "hello")
    changed = await api.client.put(
        f"/api/records/{zone}/app/A", json={"old_content": "192.0.2.1", "content": "192.0.2.2"}
    )
    assert changed.status_code == 200, changed.text
    deleted = await api.client.delete(f"/api/records/{zone}/app/A")
    assert deleted.status_code == 200, deleted.text

    listed = await api.client.get(f"/api/zones/{zone}/versions", params={"name": "app"})
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert [v["action"] for v in body["items"]] == [
        "record.delete",
        "record.update",
        "record.create",
    ]
    assert body["total"] == 3
    delete_id, update_id, create_id = (v["id"] for v in body["items"])

    async def changes(version_id: int) -> dict[str, Any]:
        response = await api.client.get(f"/api/zones/{zone}/versions/{version_id}/changes")
        assert response.status_code == 200, response.text
        plan: dict[str, Any] = response.json()["plan"]
        return plan

    update = await changes(update_id)
    assert (update["adds"], update["changes"], update["deletes"]) == (0, 1, 0)
    [change] = update["changed"]
    assert change["name"] == f"app.{zone}"
    assert [r["content"] for r in change["before"]["records"]] == ["192.0.2.1"]
    assert [r["content"] for r in change["after"]["records"]] == ["192.0.2.2"]
    created = await changes(create_id)
    assert [(r["name"], r["type"]) for r in created["added"]] == [(f"app.{zone}", "A")]
    removed = await changes(delete_id)
    assert [r["name"] for r in removed["deleted"]] == [f"app.{zone}"]
    # The zone's first version (its creation) added the apex RRsets; filtered to "app": none.
    first = (await api.client.get(f"/api/zones/{zone}/versions")).json()["items"][-1]
    filtered = await api.client.get(
        f"/api/zones/{zone}/versions/{first['id']}/changes", params={"name": "app"}
    )
    assert filtered.json()["plan"]["added"] == [] and filtered.json()["plan"]["adds"] == 0
    unfiltered = await api.client.get(f"/api/zones/{zone}/versions/{first['id']}/changes")
    assert (f"{zone}", "NS") in {(r["name"], r["type"]) for r in unfiltered.json()["plan"]["added"]}
