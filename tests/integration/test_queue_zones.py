"""The retry queue keeps order per (server, zone): a change stuck in one zone on one server
never holds back writes to other zones, and is parked after a bounded number of attempts."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import ApiFactory
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query
from tests.integration.syncutil import add, create_zone, recover, sync_api

LEGACY = "Legacy PowerDNS"


@contextmanager
def refusing_writes(server: LocalPowerDNS, zone: str) -> Iterator[None]:
    """Make ``server``'s backend fail every record write in ``zone`` (PowerDNS answers 500
    to those PATCHes, and only to those), until the block ends."""
    database = sqlite3.connect(server.database_path)
    try:
        database.execute(
            f"CREATE TRIGGER stuck_zone BEFORE INSERT ON records WHEN NEW.name LIKE '%{zone}' "
            "BEGIN SELECT RAISE(ABORT, 'stuck'); END"
        )
        database.commit()
        yield
    finally:
        database.execute("DROP TRIGGER IF EXISTS stuck_zone")
        database.commit()
        database.close()


async def test_a_stuck_zone_never_blocks_writes_to_another_zone(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url, queue_max_attempts=3)
    await register_servers(api.client, pdns, (True, True, True))
    stuck, other = unique_zone("stuck"), unique_zone("other")
    for zone in (stuck, other):
        assert (await create_zone(api, zone)).status_code == 201
    pdns[2].stop()
    queued = await add(api, stuck, "www", "A", "192.0.2.1")
    assert queued.status_code == 207, queued.text
    assert queued.json()["queued_servers"] == [LEGACY]

    with refusing_writes(pdns[2], stuck):
        pdns[2].start()

        # Legacy answers, but the change it owes for the stuck zone fails every time.
        created = await add(api, other, "www", "A", "192.0.2.7")
        assert created.status_code == 201, created.text
        assert [s["success"] for s in created.json()["servers"]] == [True, True, True]
        for server in pdns:
            assert dns_query(server, f"www.{other}.", "A") == ["192.0.2.7"]

        # A write to the stuck zone tries the older change first (attempt 1), then queues
        # behind it on Legacy.
        behind = await add(api, stuck, "mail", "A", "192.0.2.9")
        assert behind.status_code == 207, behind.text
        assert behind.json()["queued_servers"] == [LEGACY]
        assert behind.json()["servers"][2]["error"] == "skipped: earlier changes queued"
        for server in pdns[:2]:
            assert dns_query(server, f"www.{stuck}.", "A") == ["192.0.2.1"]
            assert dns_query(server, f"mail.{stuck}.", "A") == ["192.0.2.9"]
        assert dns_query(pdns[2], f"mail.{stuck}.", "A") == []

        # The worker's rounds count attempts; the third attempt parks the oldest change, and
        # the one behind it is tried in its turn.
        second = await recover(api)
        assert (second.replayed, second.parked, second.failed) == (0, 0, 1)
        third = await recover(api)
        assert (third.replayed, third.parked, third.failed) == (0, 1, 1)
        queue = (await api.client.get("/api/sync/queue")).json()
        parked = [e for e in queue["items"] if e["status"] == "parked"]
        assert [(e["zone"], e["attempts"]) for e in parked] == [(f"{stuck}.", 3)]
        assert "500" in parked[0]["last_error"] or "Internal" in parked[0]["last_error"]

        # Legacy answered all along: its breaker stays closed and writes elsewhere go on.
        breakers = {b["name"]: b for b in (await api.client.get("/api/sync/servers")).json()}
        assert breakers[LEGACY]["state"] == "closed"
        again = await add(api, other, "ftp", "A", "192.0.2.8")
        assert again.status_code == 201, again.text
        for server in pdns:
            assert dns_query(server, f"ftp.{other}.", "A") == ["192.0.2.8"]

    # The backend accepts the zone again: the change still pending there is delivered.
    report = await recover(api)
    assert report.replayed == 1
    assert dns_query(pdns[2], f"mail.{stuck}.", "A") == ["192.0.2.9"]
    assert dns_query(pdns[2], f"www.{stuck}.", "A") == []  # parked: an admin decides
