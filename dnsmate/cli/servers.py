"""``dnsmate servers list|health``: the PowerDNS servers DNSMate manages."""

from __future__ import annotations

import typer

from dnsmate.cli.client import EXIT_FAILURE, EXIT_PARTIAL, DNSMateClient
from dnsmate.cli.config import load_config
from dnsmate.cli.output import JsonOption, handle_errors, print_json, print_table, stderr, yes_no

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
        ["ID", "Name", "API URL", "Default", "Active", "Multi-server"],
        [
            [s["id"], s["name"], s["api_url"] or "-", yes_no(s["is_default"]),
             yes_no(s["is_active"]), yes_no(s["multi_server_mode"])]
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
