"""Fleet jobs as any process sees them: the row in the database is the truth, and a running
job whose heartbeat stopped (its process died) reads "interrupted"."""

from __future__ import annotations

from datetime import timedelta

from dnsmate.db import utcnow
from dnsmate.models import FleetJob
from dnsmate.services.fleet.jobs import STALE_SECONDS
from tests.conftest import Api, ApiFactory


async def _job(api: Api, *, beat_seconds_ago: float) -> int:
    async with api.context.sessions() as session:
        job = FleetJob(kind="reconcile", status="running", phase="Repairing zones", total=4,
                       done=1, options={}, plan={}, result={},
                       heartbeat_at=utcnow() - timedelta(seconds=beat_seconds_ago))  # fmt: skip
        session.add(job)
        await session.commit()
        return job.id


async def test_a_job_reads_the_same_from_another_process_and_interrupted_once_stale(
    api_factory: ApiFactory, sqlite_url: str
) -> None:
    first = await api_factory(sqlite_url)
    other = await api_factory(sqlite_url)  # a second DNSMate on the same database
    alive = await _job(first, beat_seconds_ago=1)
    dead = await _job(first, beat_seconds_ago=STALE_SECONDS + 5)

    seen = await other.client.get(f"/api/jobs/{alive}")
    assert seen.status_code == 200, seen.text
    body = seen.json()
    assert (body["status"], body["done"], body["total"], body["progress"]) == (
        "running", 1, 4, 0.25)  # fmt: skip
    assert (await other.client.get(f"/api/jobs/{dead}")).json()["status"] == "interrupted"
    listed = (await first.client.get("/api/jobs")).json()
    assert [(j["id"], j["status"]) for j in listed] == [(dead, "interrupted"), (alive, "running")]
    # The live job blocks another of its kind (409), whichever process is asked.
    refused = await other.client.post("/api/sync/reconcile", json={"source": 1, "dry_run": False})
    assert refused.status_code == 409, refused.text
    assert f"Job {alive}" in refused.json()["message"]
    assert (await first.client.get("/api/jobs/999")).status_code == 404
