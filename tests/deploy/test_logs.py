"""What an operator reads in the log of a `dnsmate serve` behind nginx (JSON format).

Every line is one JSON object; each request has one access line with the user, the real
client and the duration; each write has one line with its outcome per PowerDNS server (a
WARNING naming the failed server when one failed); the PowerDNS HTTP calls of the health
probes (every 0.5 s here) do not appear at INFO.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import ADMIN_EMAIL
from tests.deploy.layout import deployed, deployment_environment
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.syncutil import NS


def json_lines(text: str) -> list[dict[str, Any]]:
    """The log's records; the lines printed to the console before logging starts aside."""
    records = []
    for line in text.splitlines():
        if line.startswith("{"):
            records.append(json.loads(line))  # a line that starts so and is not JSON fails
    return records


async def test_json_log_has_access_lines_with_user_and_per_server_outcomes(
    tmp_path: Path, pdns: list[LocalPowerDNS]
) -> None:
    environment = deployment_environment(
        f"sqlite+aiosqlite:///{tmp_path / 'dnsmate.sqlite3'}",
        DNSMATE_HEALTH_INTERVAL_SECONDS="0.5",
        DNSMATE_BREAKER_FAILURE_THRESHOLD="5",
    )
    assert environment["DNSMATE_LOG_FORMAT"] == "json"
    zone = unique_zone("logs")
    with deployed(tmp_path, count=1, environment=environment) as deployment:
        token = deployment.login(source="127.0.0.3")
        async with deployment.nginx.client(token=token, source="127.0.0.3") as client:
            await register_servers(client, pdns, (True, True, False))
            created = await client.post(
                "/api/zones", json={"name": zone, "kind": "Native", "nameservers": NS}
            )
            assert created.status_code == 201, created.text
            pdns[1].stop()
            added = await client.post(
                f"/api/records/{zone}",
                json={"name": "www", "type": "A", "content": "192.0.2.8", "ttl": 300},
            )
            assert added.status_code == 207, added.text
            for _ in range(3):  # health probes run meanwhile
                assert (await client.get("/api/health")).status_code == 200
        text = deployment.processes[0].log_text()
    records = json_lines(text)
    assert len(records) > 10 and len(records) >= len(text.splitlines()) - 5

    access = [r for r in records if r["logger"] == "dnsmate.access"]
    post = [r for r in access if r["method"] == "POST" and r["path"] == f"/api/records/{zone}"]
    assert len(post) == 1, access
    assert post[0]["status"] == 207 and post[0]["user"] == ADMIN_EMAIL, post
    assert post[0]["client"] == "127.0.0.3" and post[0]["duration_ms"] > 0, post
    assert all(r["level"] == "DEBUG" for r in access if r["path"] == "/api/health")

    changes = {r["action"]: r for r in records if r["logger"] == "dnsmate.changes"}
    assert changes["zone.create"]["level"] == "INFO"
    assert set(changes["zone.create"]["servers"]) == {pdns[0].name, pdns[1].name}
    write = changes["record.create"]
    assert write["level"] == "WARNING" and write["zone"] == zone and write["user"] == ADMIN_EMAIL
    assert write["servers"][pdns[0].name].startswith("ok (")
    assert write["servers"][pdns[1].name].startswith("failed: ")
    assert write["servers"][pdns[1].name].endswith(", queued")

    assert [r for r in records if r["logger"] in ("httpx", "httpcore")] == []
    assert [r for r in records if r["logger"] == "uvicorn.access"] == []
