"""Fleet jobs (onboard, retire, reconcile): following one with a progress bar until it ends,
and ``dnsmate jobs list|cancel``."""

from __future__ import annotations

import time
from typing import Annotated, Any

import typer

from dnsmate.cli.client import EXIT_FAILURE, CLIError, DNSMateClient
from dnsmate.cli.config import load_config
from dnsmate.cli.output import (
    JsonOption,
    handle_errors,
    print_json,
    print_table,
    progress_bar,
    stderr,
    stdout,
)

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


app = typer.Typer(help="Fleet jobs: onboarding, retiring, reconcile everything.",
                  no_args_is_help=True)  # fmt: skip


@app.command("list")
@handle_errors
def list_jobs(as_json: JsonOption = False) -> None:
    """The latest jobs first: kind, server, status, progress."""
    with DNSMateClient.from_config(load_config()) as client:
        found = client.get("/api/jobs")
    if as_json:
        print_json(found)
        return
    print_table(
        ["Id", "Kind", "Server", "Source", "Status", "Done", "Error"],
        [[j["id"], j["kind"], j["server"] or "", j["source"] or "", j["status"],
          f"{j['done']}/{j['total']}", j["error"] or ""] for j in found],
        title="Jobs",
    )  # fmt: skip


@app.command("cancel")
@handle_errors
def cancel(
    job_id: Annotated[int, typer.Argument(help="The job's id (dnsmate jobs list)")],
    as_json: JsonOption = False,
) -> None:
    """Stop a running job before its next zone, and wait until it has stopped."""
    with DNSMateClient.from_config(load_config()) as client:
        job = follow_job(client, client.post(f"/api/jobs/{job_id}/cancel", {}).data)
    if as_json:
        print_json(job)
    elif job["status"] == "cancelled":
        stdout().print(f"Job {job['id']} cancelled: {job['error']}", markup=False)
    if job["status"] != "cancelled":  # it ended otherwise before reaching the next zone
        report_job(job, as_json=as_json, summary=f"Job {job['id']} ended before it stopped")
