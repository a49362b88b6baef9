"""Following a fleet job (onboard, retire, reconcile) with a progress bar until it ends."""

from __future__ import annotations

import time
from typing import Any

import typer

from dnsmate.cli.client import EXIT_FAILURE, CLIError, DNSMateClient
from dnsmate.cli.output import print_json, progress_bar, stderr, stdout

POLL_SECONDS = 0.5


def server_id(client: DNSMateClient, value: str) -> int:
    """A server given by id or by name."""
    if value.isdigit():
        return int(value)
    for server in client.get("/api/settings/powerdns"):
        if server["name"] == value:
            return int(server["id"])
    raise CLIError(f"No PowerDNS server named {value!r} (see `dnsmate servers list`)")


def follow_job(client: DNSMateClient, job: dict[str, Any]) -> dict[str, Any]:
    """Poll ``GET /api/jobs/{id}`` until the job ends, drawing its progress on stderr."""
    with progress_bar() as progress:
        task = progress.add_task(job["phase"] or job["kind"], total=None)
        while job["status"] == "running":
            progress.update(
                task,
                description=f"{job['phase']} {job['current'] or ''}".strip(),
                total=job["total"] or None,
                completed=job["done"],
            )
            time.sleep(POLL_SECONDS)
            job = client.get(f"/api/jobs/{job['id']}")
    return job


def report_job(job: dict[str, Any], *, as_json: bool, summary: str) -> None:
    """Print the ended job (``summary`` names what succeeded); exit 1 unless it succeeded."""
    if as_json:
        print_json(job)
    elif job["status"] == "succeeded":
        stdout().print(f"[green]✓[/green] {summary}")
    for failure in job["result"].get("failed", []):
        stderr().print(f"  {failure['zone']}: {failure['error']}", markup=False)
    for zone in job["result"].get("refused", []):
        stderr().print(f"  {zone}: over 30 % of its RRsets would change (--force)", markup=False)
    if job["status"] != "succeeded":
        stderr().print(f"Job {job['id']} {job['status']}: {job['error']}", markup=False)
        raise typer.Exit(EXIT_FAILURE)
