"""`dnsmate db backup` and `dnsmate db restore` bring back a working instance.

For SQLite and PostgreSQL: an instance with users, an API token, zone versions, audit
events and a queued change for a stopped server is backed up; then the database is lost
(file deleted, schema dropped) and restored from the backup by the CLI. A new instance on
the restored database, with the same secret key, accepts the old token, has the users,
versions and audit trail of the backup time (and not what came after), still owes the
queued change and replays it to the server, and writes reach every PowerDNS server.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.migrations import downgrade
from tests.conftest import ApiFactory, make_settings, make_user
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query
from tests.integration.syncutil import add, create_zone


def dnsmate_db(database_url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``dnsmate db ...`` as an operator would, against ``database_url``."""
    settings = make_settings(tmp_path, database_url)
    assert settings.secret_key is not None
    environment = {
        **os.environ,
        "DNSMATE_DATABASE_URL": database_url,
        "DNSMATE_SECRET_KEY": settings.secret_key.get_secret_value(),
        "DNSMATE_DATA_DIR": str(tmp_path / "cli"),
    }
    return subprocess.run(
        [sys.executable, "-m", "dnsmate.cli", "db", *args],
        env=environment, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


async def test_restore_brings_back_a_working_instance(
    api_factory: ApiFactory, database_url: str, pdns: list[LocalPowerDNS], tmp_path: Path
) -> None:
    before = await api_factory(database_url, sync_worker=False)
    await register_servers(before.client, pdns, (True, True, True))
    zone = unique_zone("restore")
    assert (await create_zone(before, zone)).status_code == 201
    assert (await add(before, zone, "www", "A", "192.0.2.1")).status_code == 201
    created = await before.client.post("/api/tokens", json={"name": "ci"})
    assert created.status_code == 201, created.text
    token = created.json()["token"]
    await make_user(before, "kept@example.com", "reader")
    pdns[2].stop()
    queued = await add(before, zone, "late", "A", "192.0.2.2")
    assert queued.status_code == 207, queued.text
    assert queued.json()["queued_servers"] == [pdns[2].name]

    backup = tmp_path / "dnsmate.backup"
    made = await asyncio.to_thread(dnsmate_db, database_url, tmp_path, "backup", "-o", str(backup))
    assert made.returncode == 0, made.stderr + made.stdout
    assert backup.stat().st_size > 0 and not backup.with_name("dnsmate.backup.part").exists()

    await make_user(before, "lost@example.com", "reader")  # after the backup: not restored
    await before.context.engine.dispose()
    await asyncio.to_thread(downgrade, database_url, "base")  # the disaster: nothing left

    refused = await asyncio.to_thread(dnsmate_db, database_url, tmp_path, "restore", str(backup))
    assert refused.returncode != 0  # asks first; no answer on stdin is no
    restored = await asyncio.to_thread(
        dnsmate_db, database_url, tmp_path, "restore", "--yes", str(backup)
    )
    assert restored.returncode == 0, restored.stderr + restored.stdout

    after = await api_factory(database_url, sync_worker=False)
    me = await after.client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200, me.text
    emails = {u["email"] for u in (await after.client.get("/api/users")).json()}
    assert "kept@example.com" in emails and "lost@example.com" not in emails
    versions = (await after.client.get(f"/api/zones/{zone}/versions")).json()
    assert versions["total"] >= 3, versions
    audit = (await after.client.get("/api/audit", params={"zone": zone})).json()
    assert {e["action"] for e in audit["items"]} >= {"zone.create", "record.create"}, audit
    queue = (await after.client.get("/api/sync/queue")).json()
    assert queue["pending"] == 1 and queue["items"][0]["server"] == pdns[2].name, queue

    pdns[2].start()
    drained = await after.client.post("/api/sync/queue/drain")
    assert drained.status_code == 200, drained.text
    assert (await after.client.get("/api/sync/queue")).json()["pending"] == 0
    assert (await add(after, zone, "new", "A", "192.0.2.3")).status_code == 201
    for server in pdns:  # the stored API keys decrypt: every server got every change
        assert dns_query(server, f"late.{zone}.", "A") == ["192.0.2.2"], server.name
        assert dns_query(server, f"new.{zone}.", "A") == ["192.0.2.3"], server.name
