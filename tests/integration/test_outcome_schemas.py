"""Real answers of a record create match the schema /openapi.json declares for their status:
201, 207 (one server down), 400 (rolled back; failed everywhere),
404 (no such zone anywhere) and 422 (refused before any server)."""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import BaseModel

from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.schemas.outcomes import ErrorBody, Failed, RequestInvalid, RolledBack
from dnsmate.schemas.writes import RecordCreated, RecordCreatedPartial, ZoneCreated
from tests.conftest import Api, ApiFactory
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.syncutil import add, create_zone, sync_api

RECORDS = "/api/records/{zone}"


async def check(api: Api, path: str, response: httpx.Response, model: type[BaseModel]) -> Any:
    """The body validates with ``model``, which is what the route declares for the status."""
    doc = api.app.openapi()
    schema = doc["paths"][path]["post"]["responses"][str(response.status_code)]["content"][
        "application/json"
    ]["schema"]
    declared = {ref["$ref"].rsplit("/", 1)[1] for ref in schema.get("anyOf", [schema])}
    assert model.__name__ in declared, (response.status_code, declared)
    return model.model_validate(response.json())


async def test_record_create_answers_match_their_schema(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    await register_servers(api.client, pdns, (True, True, True))
    zone = unique_zone("schema")

    created = await create_zone(api, zone)
    assert created.status_code == 201, created.text
    await check(api, "/api/zones", created, ZoneCreated)

    ok = await add(api, zone, "www", "A", "192.0.2.1")
    assert ok.status_code == 201, ok.text
    body = await check(api, RECORDS, ok, RecordCreated)
    assert [s.success for s in body.servers] == [True, True, True]
    assert body.warnings == [] and "warnings" not in ok.json()

    invalid = await add(api, zone, "www", "NOPE", "x")
    assert invalid.status_code == 422, invalid.text
    assert (await check(api, RECORDS, invalid, ErrorBody)).field == "type"
    malformed = await api.client.post(f"/api/records/{zone}", json={"name": "www"})
    assert malformed.status_code == 422, malformed.text
    await check(api, RECORDS, malformed, RequestInvalid)

    missing = await add(api, unique_zone("absent"), "www", "A", "192.0.2.1")
    assert missing.status_code == 404, missing.text
    assert len((await check(api, RECORDS, missing, Failed)).servers) == 3

    pdns[2].stop()
    partial = await add(api, zone, "www", "A", "192.0.2.2")
    assert partial.status_code == 207, partial.text
    body = await check(api, RECORDS, partial, RecordCreatedPartial)
    assert body.partial_success is True and len(body.success_servers) == 2
    assert body.queued_servers == [pdns[2].name]

    rolled = await add(api, zone, "www", "A", "192.0.2.3", on_partial_failure="rollback")
    assert rolled.status_code == 400, rolled.text
    body = await check(api, RECORDS, rolled, RolledBack)
    assert body.partial_success is False and len(body.rolled_back_servers) == 2

    pdns[0].stop()
    pdns[1].stop()
    failed = await add(api, zone, "mail", "A", "192.0.2.4")
    assert failed.status_code == 400, failed.text
    body = await check(api, RECORDS, failed, Failed)
    assert [s.success for s in body.servers] == [False, False, False]
