"""Zone settings are all or nothing per server: PowerDNS takes a zone's fields and each
metadata kind in separate requests, so when one is refused DNSMate sets back what it had
already changed on that server."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import Api
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.test_zone_settings import NS, server_view


@contextmanager
def refusing_metadata(server: LocalPowerDNS, zone: str, kind: str) -> Iterator[None]:
    """Make ``server``'s backend refuse to store ``kind`` for ``zone`` (PowerDNS answers an
    error to that metadata write, and only to it), until the block ends."""
    database = sqlite3.connect(server.database_path)
    try:
        database.execute(
            "CREATE TRIGGER stuck_metadata BEFORE INSERT ON domainmetadata "
            f"WHEN NEW.kind = '{kind}' AND NEW.domain_id = "
            f"(SELECT id FROM domains WHERE name = '{zone}') "
            "BEGIN SELECT RAISE(ABORT, 'stuck'); END"
        )
        database.commit()
        yield
    finally:
        database.execute("DROP TRIGGER IF EXISTS stuck_metadata")
        database.commit()
        database.close()


async def test_a_refused_metadata_write_sets_back_the_kind_on_that_server(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    first, stuck, third = pdns_servers
    await register_servers(api.client, pdns_servers, (True, True, True))
    zone = unique_zone("atomic")
    created = await api.client.post("/api/zones", json={"name": zone, "nameservers": NS})
    assert created.status_code == 201, created.text
    before = server_view(stuck, zone)
    wanted = {
        "kind": "Master",
        "masters": [],
        "metadata": {"ALLOW-AXFR-FROM": ["192.0.2.0/24"], "ALSO-NOTIFY": ["192.0.2.54"]},
    }

    with refusing_metadata(stuck, zone, "ALSO-NOTIFY"):
        answer = await api.client.put(f"/api/zones/{zone}/settings", json=wanted)

    assert answer.status_code == 207, answer.text
    [failed] = answer.json()["failed_servers"]
    assert failed.startswith(f"{stuck.name}: ")
    assert "(setting ALSO-NOTIFY)" in failed
    assert "kind, ALLOW-AXFR-FROM set back: this server is as it was" in failed
    # The kind (one PUT) and ALLOW-AXFR-FROM went through before ALSO-NOTIFY was refused,
    # and were set back: the server is as before, not half changed.
    assert server_view(stuck, zone) == before
    assert before["kind"] == "Native" and "ALLOW-AXFR-FROM" not in before["metadata"]
    for server in (first, third):
        view = server_view(server, zone)
        assert view["kind"] == "Master"
        assert view["metadata"]["ALSO-NOTIFY"] == ["192.0.2.54"]
        assert view["metadata"]["ALLOW-AXFR-FROM"] == ["192.0.2.0/24"]

    # Once the server takes it, the same request completes it there (the others: no change).
    again = await api.client.put(f"/api/zones/{zone}/settings", json=wanted)
    assert again.status_code == 200, again.text
    assert server_view(stuck, zone) == server_view(first, zone)
