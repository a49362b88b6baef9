"""``dnsmate servers list|health|add|onboard|retire``: the PowerDNS servers DNSMate manages."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from dnsmate.cli.client import EXIT_FAILURE, EXIT_PARTIAL, CLIError, DNSMateClient
from dnsmate.cli.config import load_config
from dnsmate.cli.jobs import follow_job, report_job, server_id
from dnsmate.cli.output import (
    JsonOption,
    handle_errors,
    print_json,
    print_table,
    stderr,
    stdout,
    yes_no,
)

app = typer.Typer(help="PowerDNS servers managed by DNSMate.", no_args_is_help=True)


@app.command("list")
@handle_errors
def list_servers(as_json: JsonOption = False) -> None:
    """The configured PowerDNS servers (never with their API keys)."""
    with DNSMateClient.from_config(load_config()) as client:
        servers = client.get("/api/settings/powerdns")
    if as_json:
        print_json(servers)
        return
    print_table(
        ["ID", "Name", "API URL", "Default", "Active", "Multi-server", "State"],
        [
            [s["id"], s["name"], s["api_url"] or "-", yes_no(s["is_default"]),
             yes_no(s["is_active"]), yes_no(s["multi_server_mode"]), s["lifecycle"]]
            for s in servers
        ],
    )  # fmt: skip


@app.command("health")
@handle_errors
def health(as_json: JsonOption = False) -> None:
    """Check every server now. Exit 0: all active servers healthy, 3: some, 1: none."""
    with DNSMateClient.from_config(load_config()) as client, stderr().status("Checking servers"):
        checks = client.get("/api/settings/powerdns/health")
    if as_json:
        print_json(checks)
    else:
        print_table(
            ["Name", "Healthy", "Latency", "Version", "Error"],
            [
                [c["name"], yes_no(c["healthy"]),
                 f"{c['latency_ms']:.0f} ms" if c["latency_ms"] is not None else "",
                 c["version"], c["error"]]
                for c in checks
            ],
        )  # fmt: skip
    active = [c for c in checks if c["is_active"]]
    sick = [c for c in active if not c["healthy"]]
    for check in sick:
        stderr().print(f"{check['name']}: {check['error']}", markup=False)
    if sick:
        raise typer.Exit(EXIT_FAILURE if len(sick) == len(active) else EXIT_PARTIAL)


def _show_plan(plan: dict[str, Any]) -> None:
    todo = [z for z in plan["zones"] if z["action"] != "in_sync"]
    print_table(
        ["Zone", "Action", "RRsets", "Adds", "Changes", "Deletes", "Unsafe", "DNSSEC"],
        [[z["zone"], z["action"], z["rrsets"], z["adds"], z["changes"], z["deletes"],
          "yes" if z["unsafe"] else "", "keys copied" if z["dnssec"] else ""]
         for z in todo],
        title=f"Onboard {plan['server']} from {plan['source']}",
    )  # fmt: skip
    s = plan["summary"]
    stdout().print(
        f"{s['zones']} zone(s): {s['create']} to create, {s['update']} to update, "
        f"{s['in_sync']} in sync; {s['rrsets']} RRset(s) to write; {s['unsafe']} unsafe",
        markup=False,
    )
    if plan["extra_zones"]:
        stdout().print(f"Left alone (only on {plan['server']}): {', '.join(plan['extra_zones'])}")


def onboard_with_progress(
    client: DNSMateClient, *, target: int, source: int, force: bool, yes: bool, as_json: bool
) -> None:
    """Show the plan, confirm, start the seeding job and follow it to its end."""
    with stderr().status("Planning"):
        plan = client.get(f"/api/settings/powerdns/{target}/onboard/plan", source=source)
    if not as_json:
        _show_plan(plan)
    if not plan["safe"] and not force:
        raise CLIError("Some zones would change over 30 % of their RRsets: review, then --force")
    if not yes:
        typer.confirm(f"Seed {plan['server']} and make it a write target?", abort=True)
    job = client.post(f"/api/settings/powerdns/{target}/onboard",
                      {"source": source, "force": force}).data  # fmt: skip
    job = follow_job(client, job)
    result = job["result"]
    report_job(job, as_json=as_json, summary=(
        f"{plan['server']} is a write target: {result.get('created', 0)} zone(s) created, "
        f"{result.get('updated', 0)} updated, {result.get('replayed', 0)} queued write(s) "
        "replayed"))  # fmt: skip


@app.command("add")
@handle_errors
def add_server(
    name: str,
    url: Annotated[str, typer.Option("--url", help="PowerDNS API URL, e.g. http://ns2:8081")],
    api_key: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            envvar="DNSMATE_PDNS_API_KEY",
            help="PowerDNS API key (prompted; or DNSMATE_PDNS_API_KEY)",
        ),
    ],
    seed_from: Annotated[
        str | None,
        typer.Option(
            "--seed-from",
            help="Copy every zone from this server (id or name), then "
            "make the new one a write target",
        ),
    ] = None,
    multi: Annotated[
        bool,
        typer.Option(
            "--multi",
            help="Without --seed-from: a write target at once while the targets hold no zone; "
            "otherwise added pending (onboard it)",
        ),
    ] = False,
    force: Annotated[bool, typer.Option(help="Copy zones changing over 30 % of RRsets")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation")] = False,
    as_json: JsonOption = False,
) -> None:
    """Add a PowerDNS server; with --seed-from, seed it with every zone (progress bar) and
    only then make it a write target (writes meanwhile are queued for it)."""
    with DNSMateClient.from_config(load_config()) as client:
        source = None if seed_from is None else server_id(client, seed_from)
        body = {"name": name, "api_url": url, "api_key": api_key,
                "multi_server_mode": multi and source is None}  # fmt: skip
        created = client.post("/api/settings/powerdns", body).data
        if source is None:
            if as_json:
                print_json(created)
            else:
                stdout().print(f"Added {name} (id {created['id']})", markup=False)
                if created.get("onboarding"):  # not a write target until onboarded
                    stderr().print(created["onboarding"], markup=False)
                    stderr().print(f"  dnsmate servers onboard {created['id']} --seed-from "
                                   "SERVER", markup=False)  # fmt: skip
            return
        onboard_with_progress(client, target=int(created["id"]), source=source, force=force,
                              yes=yes, as_json=as_json)  # fmt: skip


@app.command("onboard")
@handle_errors
def onboard(
    server: Annotated[str, typer.Argument(help="The server to seed (id or name)")],
    seed_from: Annotated[str, typer.Option("--seed-from", help="Server (id or name) to copy")],
    force: Annotated[bool, typer.Option(help="Copy zones changing over 30 % of RRsets")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation")] = False,
    as_json: JsonOption = False,
) -> None:
    """Seed a configured server from another, then make it a write target."""
    with DNSMateClient.from_config(load_config()) as client:
        onboard_with_progress(client, target=server_id(client, server),
                              source=server_id(client, seed_from), force=force, yes=yes,
                              as_json=as_json)  # fmt: skip


@app.command("retire")
@handle_errors
def retire(
    server: Annotated[str, typer.Argument(help="The server to retire (id or name)")],
    delete_zones: Annotated[
        bool, typer.Option(help="Also delete from it the zones the other targets hold")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation")] = False,
    as_json: JsonOption = False,
) -> None:
    """Stop writing to a server (its queued changes are dropped); optionally delete its zones."""
    if not yes:
        what = " and delete its zones" if delete_zones else ""
        typer.confirm(f"Retire {server}{what}?", abort=True)
    with DNSMateClient.from_config(load_config()) as client:
        target = server_id(client, server)
        job = client.post(f"/api/settings/powerdns/{target}/retire",
                          {"delete_zones": delete_zones}).data  # fmt: skip
        job = follow_job(client, job)
    result = job["result"]
    kept = len(result.get("kept", []))
    report_job(job, as_json=as_json, summary=(
        f"{job['server']} retired: {result.get('dropped_queue', 0)} queued change(s) dropped, "
        f"{result.get('deleted', 0)} zone(s) deleted, {kept} kept"))  # fmt: skip
