"""Helpers for the fleet tests: jobs polled as a client would, a gate on a server's writes,
direct reads of a PowerDNS server."""

from __future__ import annotations

import asyncio
from pathlib import Path
from secrets import token_hex
from typing import Any

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import Api
from tests.integration.syncutil import pdns_api


def empty_server(tmp_path: Path, name: str) -> LocalPowerDNS:
    """A PowerDNS server of the test's own, not started (``with`` starts and stops it)."""
    return LocalPowerDNS(name=name, workdir=tmp_path / token_hex(4), api_key=token_hex(16))


class Gate:
    """Stands in for a server's write lock: the first writer waits until ``open()``."""

    def __init__(self) -> None:
        self.entered = asyncio.Event()
        self.opened = asyncio.Event()

    def open(self) -> None:
        self.opened.set()

    async def __aenter__(self) -> None:
        self.entered.set()
        await self.opened.wait()

    async def __aexit__(self, *_exc: object) -> None:
        return None


async def poll_job(api: Api, job_id: int) -> dict[str, Any]:
    """The job once it ended, polled as a client would."""
    job: dict[str, Any] = {}
    for _ in range(1200):
        response = await api.client.get(f"/api/jobs/{job_id}")
        assert response.status_code == 200, response.text
        job = response.json()
        if job["status"] != "running":
            return job
        await asyncio.sleep(0.1)
    raise AssertionError(f"job {job_id} still running: {job}")


async def zones_of(server: LocalPowerDNS) -> set[str]:
    """The zone names ``server`` holds (its own API)."""
    async with pdns_api(server) as direct:
        response = await direct.get("/zones")
        response.raise_for_status()
        return {z["name"] for z in response.json()}
