"""``dnsmate sync ...``: multi-server consistency (admins).

``status``, ``diff`` and ``reconcile`` find and repair zones whose copies differ between
servers; ``queue``, ``retry``, ``drop`` and ``drain`` steer the retry queue, in which a
change a server missed waits (under the ``retry`` policy) until the server is back.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from dnsmate.cli.client import EXIT_PARTIAL, DNSMateClient, segment
from dnsmate.cli.config import load_config
from dnsmate.cli.jobs import follow_job, report_job, server_id
from dnsmate.cli.output import (
    JsonOption,
    handle_errors,
    print_json,
    print_table,
    stderr,
    stdout,
)

app = typer.Typer(help="Multi-server consistency: retry queue and breakers.", no_args_is_help=True)


@app.command("status")
@handle_errors
def status(
    deep: Annotated[bool, typer.Option(help="Compare the content of every zone")] = False,
    as_json: JsonOption = False,
) -> None:
    """Servers (breaker, queued changes) and zones out of sync. Exit 3 when anything is."""
    with DNSMateClient.from_config(load_config()) as client, stderr().status("Comparing"):
        servers = client.get("/api/sync/servers")
        policy = client.get("/api/settings/consistency")["on_partial_failure"]
        zones = client.get("/api/sync/status", deep=str(deep).lower())
    off = [z for z in zones["zones"] if z["status"] != "in_sync"]
    if as_json:
        print_json({"on_partial_failure": policy, "servers": servers, "zones": zones})
    else:
        print_table(
            ["Server", "Breaker", "Failures", "Pending", "Parked", "Last error"],
            [[s["name"], s["state"], s["failures"], s["pending"], s["parked"], s["last_error"]]
             for s in servers],
            title=f"Partial-failure policy: {policy}",
        )  # fmt: skip
        summary = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in zones["summary"].items())
        stdout().print(f"Zones: {summary}", markup=False)
        if off:
            print_table(
                ["Zone", "Status", "Missing on", "Drifted on"],
                [[z["zone"], z["status"], ", ".join(z["missing_on"]), ", ".join(z["drifted_on"])]
                 for z in off],
            )  # fmt: skip
    if off or any(s["pending"] or s["parked"] for s in servers):
        raise typer.Exit(EXIT_PARTIAL)


@app.command("diff")
@handle_errors
def diff(
    zone: str,
    reference: Annotated[
        str | None, typer.Option(help="Server (id or name) to compare with; default: default")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """How each server's copy of ZONE differs from the reference. Exit 3 when any does."""
    with DNSMateClient.from_config(load_config()) as client:
        ref = None if reference is None else server_id(client, reference)
        data = client.get(f"/api/sync/zones/{segment(zone)}/diff", reference=ref)
    if as_json:
        print_json(data)
    else:
        rows = []
        for server in data["servers"]:
            rows.append([server["server"], server["status"], "", "", server.get("error") or ""])
            for key, label in (("missing", "missing"), ("extra", "extra"),
                               ("different", "different")):  # fmt: skip
                for item in server.get(key, []):
                    rrset = item.get("server", item) if key == "different" else item
                    rows.append(["", label, f"{item['name']} {item['type']}",
                                 ", ".join(map(str, rrset.get("records", []))), ""])  # fmt: skip
        print_table(["Server", "Status", "RRset", "Records", "Error"], rows,
                    title=f"{data['zone']} compared with {data['reference']}")  # fmt: skip
    if not data["in_sync"]:
        raise typer.Exit(EXIT_PARTIAL)


@app.command("reconcile")
@handle_errors
def reconcile(
    zone: str,
    source: Annotated[str, typer.Option(help="Server (id or name) whose copy is right")],
    apply: Annotated[bool, typer.Option("--apply", help="Apply (default: show the plan)")] = False,
    force: Annotated[
        bool, typer.Option(help="Apply even when over 30 % of a server's RRsets change")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Make every server's copy of ZONE equal to the source's: plan first, --apply to write."""
    with DNSMateClient.from_config(load_config()) as client:
        body = {"source": server_id(client, source), "dry_run": not apply, "force": force}
        reply = client.post(f"/api/sync/zones/{segment(zone)}/reconcile", body)
    data = reply.data
    if as_json:
        print_json(data)
    else:
        print_table(
            ["Server", "Create zone", "Creates", "Updates", "Deletes", "Unsafe", "Error"],
            [[p["server"], "yes" if p["create_zone"] else "", len(p["creates"]),
              len(p["updates"]), len(p["deletes"]), "yes" if p["unsafe"] else "", p["error"] or ""]
             for p in data["servers"]],
            title=f"{data['zone']}: make every server equal to {data['source']}",
        )  # fmt: skip
        for result in data.get("results", []):
            state = "ok" if result["success"] else f"failed: {result['error']}"
            stdout().print(f"  {result['server']}: {state}", markup=False)
        if not apply:
            stdout().print("Dry run: run again with --apply to apply.", markup=False)
    if reply.partial:
        raise typer.Exit(EXIT_PARTIAL)


@app.command("reconcile-all")
@handle_errors
def reconcile_all(
    source: Annotated[str, typer.Option(help="Server (id or name) whose copies are right")],
    apply: Annotated[bool, typer.Option("--apply", help="Repair (default: show the plan)")] = False,
    force: Annotated[
        bool, typer.Option(help="Repair zones where over 30 % of a server's RRsets change")
    ] = False,
    deep: Annotated[
        bool, typer.Option(help="Compare every zone, not only changed serials")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Every zone that differs from the source on some target: the plan, or with --apply a
    repair job (progress bar) and its summary. Exit 3 when the plan is not empty."""
    with DNSMateClient.from_config(load_config()) as client:
        body = {"source": server_id(client, source), "force": force, "deep": deep}
        with stderr().status("Planning"):
            plan = client.post("/api/sync/reconcile", body | {"dry_run": True}).data
        if not apply:
            if as_json:
                print_json(plan)
            else:
                _show_reconcile_plan(plan)
            if plan["zones"]:
                raise typer.Exit(EXIT_PARTIAL)
            return
        job = follow_job(client, client.post("/api/sync/reconcile", body | {"dry_run": False}).data)
    result = job["result"]
    report_job(job, as_json=as_json, summary=(
        f"{len(result.get('repaired', []))} zone(s) repaired, {result.get('in_sync', 0)} already "
        f"in sync, {result.get('resolved_parked', 0)} parked change(s) resolved"))  # fmt: skip


def _show_reconcile_plan(plan: dict[str, Any]) -> None:
    print_table(
        ["Zone", "Server", "Create zone", "Adds", "Changes", "Deletes", "Unsafe", "Error"],
        [[z["zone"], s["server"], "yes" if s["create_zone"] else "", s["adds"], s["changes"],
          s["deletes"], "yes" if s["unsafe"] else "", s["error"] or ""]
         for z in plan["zones"] for s in z["servers"]],
        title=f"Make every target equal to {plan['source']} ({plan['checked']} zones checked)",
    )  # fmt: skip
    if plan["not_on_source"]:
        stdout().print(f"Not on the source (left alone): {', '.join(plan['not_on_source'])}")
    stdout().print("Dry run: run again with --apply to repair.", markup=False)


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
