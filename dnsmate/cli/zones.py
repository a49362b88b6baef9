"""``dnsmate zones list|show|create|clone|delete|notify|retrieve``, and ``soa``, ``settings`` and
``history`` (``dnsmate.cli.zone_settings``, ``dnsmate.cli.history``)."""

from __future__ import annotations

from typing import Annotated

import typer

from dnsmate.cli.client import DNSMateClient, segment
from dnsmate.cli.config import load_config
from dnsmate.cli.history import history_app
from dnsmate.cli.output import (
    JsonOption,
    fetch_pages,
    handle_errors,
    print_json,
    print_table,
    report_write,
    yes_no,
)
from dnsmate.cli.zone_settings import settings_app, soa_app

app = typer.Typer(help="Zones on the target PowerDNS servers.", no_args_is_help=True)
app.add_typer(soa_app, name="soa")
app.add_typer(settings_app, name="settings")
app.add_typer(history_app, name="history")


@app.command("list")
@handle_errors
def list_zones(
    search: Annotated[str | None, typer.Option(help="Only zones whose name contains this")] = None,
    as_json: JsonOption = False,
) -> None:
    """Every zone you may see, sorted by name."""
    with DNSMateClient.from_config(load_config()) as client:
        zones = fetch_pages(client, "/api/zones", label="Zones", search=search)
    if as_json:
        print_json(zones)
        return
    print_table(
        ["Zone", "Kind", "Serial", "DNSSEC"],
        [[z["name"], z["kind"], z["serial"], yes_no(z["dnssec"])] for z in zones],
    )


@app.command("show")
@handle_errors
def show_zone(zone: str, as_json: JsonOption = False) -> None:
    """A zone's kind, serial, name servers and the servers it is written to."""
    with DNSMateClient.from_config(load_config()) as client:
        data = client.get(f"/api/zones/{segment(zone)}")
    if as_json:
        print_json(data)
        return
    rows = [
        ["Kind", data.get("kind")],
        ["Serial", data.get("serial")],
        ["DNSSEC", yes_no(data.get("dnssec"))],
        ["Name servers", ", ".join(data.get("nameservers", []))],
        ["Masters", ", ".join(data.get("masters", []))],
        ["Written to", ", ".join(data.get("servers", []))],
    ]
    print_table(["Zone", data["name"]], rows)


@app.command("create")
@handle_errors
def create_zone(
    zone: str,
    ns: Annotated[
        list[str] | None, typer.Option("--ns", help="Name server (repeat for several)")
    ] = None,
    kind: Annotated[
        str, typer.Option(help="Native, Master, Slave, Producer (a catalog) or Consumer")
    ] = "Native",
    master: Annotated[
        list[str] | None,
        typer.Option("--master", help="Master address for a Slave or Consumer zone"),
    ] = None,
    template: Annotated[
        int | None, typer.Option(help="Start from this zone template (its id)")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Create a zone on every target server."""
    body = {"name": zone, "kind": kind, "nameservers": ns or [], "masters": master or [],
            "template_id": template}  # fmt: skip
    with DNSMateClient.from_config(load_config()) as client:
        reply = client.post("/api/zones", body)
    report_write(reply, as_json=as_json, summary=f"Zone {reply.data['name']} created")


@app.command("clone")
@handle_errors
def clone_zone(
    zone: str,
    new_name: Annotated[str, typer.Argument(help="The new zone's name")],
    kind: Annotated[
        str | None, typer.Option(help="Native or Master (default: the source's kind)")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Create NEW_NAME on every target server with a copy of ZONE's records."""
    with DNSMateClient.from_config(load_config()) as client:
        reply = client.post(f"/api/zones/{segment(zone)}/clone", {"name": new_name, "kind": kind})
    report_write(reply, as_json=as_json, summary=f"Zone {reply.data['name']} cloned from {zone}")


@app.command("delete")
@handle_errors
def delete_zone(
    zone: str,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation")] = False,
    as_json: JsonOption = False,
) -> None:
    """Delete a zone and all its records from every target server."""
    if not yes:
        typer.confirm(f"Delete zone {zone} and all its records on every server?", abort=True)
    with DNSMateClient.from_config(load_config()) as client:
        reply = client.delete(f"/api/zones/{segment(zone)}")
    report_write(reply, as_json=as_json, summary=f"Zone {zone} deleted")


@app.command("notify")
@handle_errors
def notify_zone(zone: str, as_json: JsonOption = False) -> None:
    """Send NOTIFY to the zone's secondaries from every target server (Master zones)."""
    with DNSMateClient.from_config(load_config()) as client:
        reply = client.post(f"/api/zones/{segment(zone)}/notify", None)
    report_write(reply, as_json=as_json, summary=f"NOTIFY for {zone} sent")


@app.command("retrieve")
@handle_errors
def retrieve_zone(zone: str, as_json: JsonOption = False) -> None:
    """Transfer a Slave zone from its masters now, on every target server."""
    with DNSMateClient.from_config(load_config()) as client:
        reply = client.post(f"/api/zones/{segment(zone)}/axfr-retrieve", None)
    report_write(reply, as_json=as_json, summary=f"Transfer of {zone} from its masters asked")
