"""``dnsmate sync status|queue|retry|drop|drain``: multi-server consistency (admins).

Under the ``retry`` policy a change a server missed is queued and replayed in order when
the server is back; these commands show and steer that queue and the circuit breakers.
"""

from __future__ import annotations

from typing import Annotated

import typer

from dnsmate.cli.client import EXIT_PARTIAL, DNSMateClient
from dnsmate.cli.config import load_config
from dnsmate.cli.output import JsonOption, handle_errors, print_json, print_table, stdout

app = typer.Typer(help="Multi-server consistency: retry queue and breakers.", no_args_is_help=True)


@app.command("status")
@handle_errors
def status(as_json: JsonOption = False) -> None:
    """Each server's breaker and queued changes. Exit 3 when any change is owed."""
    with DNSMateClient.from_config(load_config()) as client:
        servers = client.get("/api/sync/servers")
        policy = client.get("/api/settings/consistency")["on_partial_failure"]
    if as_json:
        print_json({"on_partial_failure": policy, "servers": servers})
    else:
        print_table(
            ["Server", "Breaker", "Failures", "Pending", "Parked", "Last error"],
            [[s["name"], s["state"], s["failures"], s["pending"], s["parked"], s["last_error"]]
             for s in servers],
            title=f"Partial-failure policy: {policy}",
        )  # fmt: skip
    if any(s["pending"] or s["parked"] for s in servers):
        raise typer.Exit(EXIT_PARTIAL)


@app.command("queue")
@handle_errors
def show_queue(
    parked: Annotated[bool, typer.Option("--parked", help="Only parked changes")] = False,
    as_json: JsonOption = False,
) -> None:
    """Changes owed to servers, in replay order."""
    with DNSMateClient.from_config(load_config()) as client:
        queue = client.get("/api/sync/queue", status="parked" if parked else None)
    if as_json:
        print_json(queue)
        return
    print_table(
        ["ID", "Server", "Zone", "Change", "Status", "Attempts", "Last error"],
        [[e["id"], e["server"], e["zone"], e["change"].get("kind"), e["status"], e["attempts"],
          e["last_error"]] for e in queue["items"]],
        title=f"{queue['pending']} pending, {queue['parked']} parked",
    )  # fmt: skip


@app.command("retry")
@handle_errors
def retry(entry_id: int) -> None:
    """Put a parked change back in line."""
    with DNSMateClient.from_config(load_config()) as client:
        client.post(f"/api/sync/queue/{entry_id}/retry", None)
    stdout().print(f"Change {entry_id} will be replayed at the next drain", markup=False)


@app.command("drop")
@handle_errors
def drop(
    entry_id: int,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation")] = False,
) -> None:
    """Drop a queued change: its server will not receive it."""
    if not yes:
        typer.confirm(f"Drop queued change {entry_id}?", abort=True)
    with DNSMateClient.from_config(load_config()) as client:
        client.delete(f"/api/sync/queue/{entry_id}")
    stdout().print(f"Change {entry_id} dropped", markup=False)


@app.command("drain")
@handle_errors
def drain(as_json: JsonOption = False) -> None:
    """Replay now what is owed to reachable servers. Exit 3 when changes remain."""
    with DNSMateClient.from_config(load_config()) as client, stdout().status("Replaying"):
        report = client.post("/api/sync/queue/drain", None).data
        remaining = client.get("/api/sync/queue")
    if as_json:
        print_json({"drain": report, "pending": remaining["pending"],
                    "parked": remaining["parked"]})  # fmt: skip
    else:
        stdout().print(
            f"Replayed {report.get('replayed', 0)}; {remaining['pending']} pending, "
            f"{remaining['parked']} parked", markup=False
        )  # fmt: skip
    if remaining["pending"] or remaining["parked"]:
        raise typer.Exit(EXIT_PARTIAL)
