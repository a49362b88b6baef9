"""Zone template CRUD on both databases: validation, names, permissions."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tests.conftest import Api, ApiFactory, login_as_role

WEB = {
    "name": "web",
    "description": "Website with mail",
    "default_ttl": 600,
    "nameservers": ["NS1.example.net", "ns2.example.net."],
    "soa_edit_api": "increase",
    "records": [
        {"name": "@", "type": "a", "content": "192.0.2.10"},
        {"name": "www", "type": "CNAME", "content": "@"},
        {"name": "@", "type": "MX", "content": "10 mail", "ttl": 3600},
        {"name": "mail", "type": "A", "content": "192.0.2.25"},
        {"name": "_dmarc", "type": "TXT", "content": "v=DMARC1; p=none"},
    ],
}


async def create(api: Api, body: dict[str, Any]) -> Any:
    return await api.client.post("/api/templates", json=body)


async def test_template_crud(api_factory: ApiFactory, database_url: str) -> None:
    api = await api_factory(database_url)

    created = await create(api, WEB)

    assert created.status_code == 201, created.text
    body = created.json()
    assert body["name"] == "web" and body["default_ttl"] == 600
    assert body["nameservers"] == ["ns1.example.net.", "ns2.example.net."]
    assert body["soa_edit_api"] == "INCREASE"
    assert body["records"][0] == {"name": "@", "type": "A", "content": "192.0.2.10", "ttl": None}
    assert body["records"][2]["ttl"] == 3600
    # Timestamps carry their offset on both databases (SQLite hands back naive ones).
    assert datetime.fromisoformat(body["created_at"]).utcoffset() == timedelta(0)
    template_id = body["id"]

    assert (await create(api, WEB)).status_code == 409
    listed = await api.client.get("/api/templates")
    assert listed.status_code == 200
    assert [t["name"] for t in listed.json()["items"]] == ["web"]
    assert listed.json()["total"] == 1

    updated = await api.client.put(
        f"/api/templates/{template_id}",
        json={
            "description": "changed",
            "records": [{"name": "@", "type": "A", "content": "192.0.2.1"}],
        },
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["description"] == "changed"
    assert updated.json()["nameservers"] == ["ns1.example.net.", "ns2.example.net."]
    assert len(updated.json()["records"]) == 1
    fetched = await api.client.get(f"/api/templates/{template_id}")
    assert fetched.json()["description"] == "changed"

    assert (await api.client.delete(f"/api/templates/{template_id}")).status_code == 204
    assert (await api.client.get(f"/api/templates/{template_id}")).status_code == 404
    assert (await api.client.delete(f"/api/templates/{template_id}")).status_code == 404


async def test_invalid_templates_name_the_row(api: Api) -> None:
    def with_record(record: dict[str, Any]) -> dict[str, Any]:
        return {**WEB, "name": "bad", "records": [WEB["records"][0], record]}

    bad_content = await create(api, with_record({"name": "x", "type": "A", "content": "999.1.1.1"}))
    assert bad_content.status_code == 422
    assert bad_content.json()["field"] == "records[1].content"
    absolute = await create(api, with_record({"name": "www.example.com.", "type": "A",
                                              "content": "192.0.2.1"}))  # fmt: skip
    assert absolute.status_code == 422 and absolute.json()["field"] == "records[1].name"
    soa = await create(api, with_record({"name": "@", "type": "SOA", "content": "a. b. 1 2 3 4 5"}))
    assert soa.status_code == 422 and soa.json()["field"] == "records[1].type"
    cname = await create(api, with_record({"name": "@", "type": "CNAME", "content": "other."}))
    assert cname.status_code == 422 and "CNAME" in cname.json()["message"]
    soa_edit = await create(api, {**WEB, "name": "bad", "soa_edit_api": "SOMETIMES"})
    assert soa_edit.status_code == 422 and soa_edit.json()["field"] == "soa_edit_api"
    huge_ttl = await create(api, {**WEB, "name": "bad", "default_ttl": 2**31})
    assert huge_ttl.status_code == 422 and huge_ttl.json()["field"] == "default_ttl"
    assert (await api.client.get("/api/templates")).json()["total"] == 0


async def test_everyone_reads_only_admins_and_editors_manage(api: Api) -> None:
    template_id = (await create(api, WEB)).json()["id"]
    for role in ("reader", "manager"):
        async with login_as_role(api, role) as other:
            assert (await other.get("/api/templates")).json()["total"] == 1
            assert (await other.get(f"/api/templates/{template_id}")).status_code == 200
            assert (
                await other.post("/api/templates", json={**WEB, "name": "x"})
            ).status_code == 403
            changed = await other.put(f"/api/templates/{template_id}", json={"description": "x"})
            assert changed.status_code == 403
            assert (await other.delete(f"/api/templates/{template_id}")).status_code == 403
    async with login_as_role(api, "editor") as editor:
        assert (await editor.post("/api/templates", json={**WEB, "name": "e"})).status_code == 201
        assert (await editor.delete(f"/api/templates/{template_id}")).status_code == 204
