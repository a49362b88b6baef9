"""``dnsmate zones soa show|edit`` and ``dnsmate zones settings show|set|members``: a zone's
SOA, kind, masters, catalog and metadata, changed on every target server; a catalog's
members."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from dnsmate.cli.client import CLIError, DNSMateClient, segment
from dnsmate.cli.config import load_config
from dnsmate.cli.output import JsonOption, handle_errors, print_json, print_table, report_write

soa_app = typer.Typer(help="A zone's SOA record.", no_args_is_help=True)
settings_app = typer.Typer(
    help="A zone's kind, masters, catalog and metadata (ALSO-NOTIFY, ALLOW-AXFR-FROM, ...).",
    no_args_is_help=True,
)

SOA_ROWS = [
    ("primary", "Primary name server"),
    ("hostmaster", "Hostmaster"),
    ("serial", "Serial"),
    ("refresh", "Refresh"),
    ("retry", "Retry"),
    ("expire", "Expire"),
    ("minimum", "Negative TTL"),
    ("ttl", "TTL"),
    ("soa_edit_api", "SOA-EDIT-API"),
]
# Metadata kinds the settings command sets, as (option name, PowerDNS kind).
METADATA = [
    ("also_notify", "ALSO-NOTIFY"),
    ("allow_axfr_from", "ALLOW-AXFR-FROM"),
    ("axfr_master_tsig", "AXFR-MASTER-TSIG"),
    ("tsig_allow_axfr", "TSIG-ALLOW-AXFR"),
    ("soa_edit", "SOA-EDIT"),
]
Seconds = Annotated[int | None, typer.Option(min=0, help="Seconds")]
Values = list[str] | None


@soa_app.command("show")
@handle_errors
def show_soa(zone: str, as_json: JsonOption = False) -> None:
    """The zone's SOA fields as the read server has them."""
    with DNSMateClient.from_config(load_config()) as client:
        data = client.get(f"/api/zones/{segment(zone)}/soa")
    if as_json:
        print_json(data)
        return
    print_table(["SOA", zone], [[label, data.get(key)] for key, label in SOA_ROWS])


@soa_app.command("edit")
@handle_errors
def edit_soa(
    zone: str,
    primary: Annotated[str | None, typer.Option(help="Primary name server (MNAME)")] = None,
    hostmaster: Annotated[
        str | None, typer.Option(help="Responsible mailbox: an e-mail address or a DNS name")
    ] = None,
    refresh: Seconds = None,
    retry: Seconds = None,
    expire: Seconds = None,
    minimum: Annotated[int | None, typer.Option(min=0, help="Negative-answer TTL")] = None,
    ttl: Annotated[int | None, typer.Option(min=0, help="TTL of the SOA record")] = None,
    as_json: JsonOption = False,
) -> None:
    """Change the given SOA fields on every server (the others stay; PowerDNS moves the
    serial)."""
    fields = {"primary": primary, "hostmaster": hostmaster, "refresh": refresh, "retry": retry,
              "expire": expire, "minimum": minimum, "ttl": ttl}  # fmt: skip
    body = {k: v for k, v in fields.items() if v is not None}
    if not body:
        raise CLIError("Nothing to change: give at least one field (see --help)")
    with DNSMateClient.from_config(load_config()) as client:
        reply = client.put(f"/api/zones/{segment(zone)}/soa", body)
    changed = ", ".join(f"{k} {v}" for k, v in body.items())
    report_write(reply, as_json=as_json, summary=f"SOA of {zone} set: {changed}")


@settings_app.command("show")
@handle_errors
def show_settings(zone: str, as_json: JsonOption = False) -> None:
    """The zone's kind, masters, SOA-EDIT-API, catalog and metadata."""
    with DNSMateClient.from_config(load_config()) as client:
        data = client.get(f"/api/zones/{segment(zone)}/settings")
    if as_json:
        print_json(data)
        return
    metadata = data.get("metadata", {})
    rows = [
        ["Kind", data.get("kind")],
        ["Masters", ", ".join(data.get("masters", []))],
        ["SOA-EDIT-API", data.get("soa_edit_api")],
        ["Catalog", data.get("catalog", "")],
        *[[kind, ", ".join(metadata.get(kind, []))] for _option, kind in METADATA],
    ]
    print_table(["Setting", data.get("name", zone)], rows)


@settings_app.command("set")
@handle_errors
def set_settings(
    zone: str,
    kind: Annotated[
        str | None, typer.Option(help="Native, Master, Slave, Producer or Consumer")
    ] = None,
    master: Annotated[
        Values, typer.Option("--master", help="Master address (repeat; replaces the list)")
    ] = None,
    soa_edit_api: Annotated[
        str | None, typer.Option(help="DEFAULT, INCREASE, EPOCH, SOA-EDIT, ... or OFF")
    ] = None,
    also_notify: Annotated[
        Values, typer.Option("--also-notify", help="ALSO-NOTIFY address[:port] (repeat)")
    ] = None,
    allow_axfr_from: Annotated[
        Values, typer.Option("--allow-axfr-from", help="ALLOW-AXFR-FROM network or AUTO-NS")
    ] = None,
    axfr_master_tsig: Annotated[
        Values, typer.Option("--axfr-master-tsig", help="AXFR-MASTER-TSIG: a TSIG key name")
    ] = None,
    tsig_allow_axfr: Annotated[
        Values, typer.Option("--tsig-allow-axfr", help="TSIG-ALLOW-AXFR: a TSIG key name")
    ] = None,
    soa_edit: Annotated[str | None, typer.Option(help="SOA-EDIT metadata")] = None,
    catalog: Annotated[
        str | None,
        typer.Option(help='Make this Master zone a member of that Producer zone ("": leave it)'),
    ] = None,
    clear: Annotated[
        Values, typer.Option("--clear", help="Remove this metadata kind (repeat)")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Set the given settings on every server; what is not given stays as each server has
    it. A repeated option replaces that kind's whole list."""
    given: dict[str, Any] = {
        "also_notify": also_notify, "allow_axfr_from": allow_axfr_from,
        "axfr_master_tsig": axfr_master_tsig, "tsig_allow_axfr": tsig_allow_axfr,
        "soa_edit": None if soa_edit is None else [soa_edit],
    }  # fmt: skip
    metadata = {name: given[option] for option, name in METADATA if given[option] is not None}
    for name in clear or []:
        wanted = name.upper()
        if wanted in metadata:
            raise CLIError(f"{wanted} is both set and cleared: give one of them")
        metadata[wanted] = []
    body: dict[str, Any] = {"kind": kind, "masters": master, "soa_edit_api": soa_edit_api,
                            "catalog": catalog, "metadata": metadata or None}  # fmt: skip
    body = {k: v for k, v in body.items() if v is not None}
    if not body:
        raise CLIError("Nothing to change: give at least one setting (see --help)")
    with DNSMateClient.from_config(load_config()) as client:
        reply = client.put(f"/api/zones/{segment(zone)}/settings", body)
    report_write(reply, as_json=as_json, summary=f"Settings of {zone} set: {_described(body)}")


@settings_app.command("members")
@handle_errors
def show_members(catalog: str, as_json: JsonOption = False) -> None:
    """The member zones of a Producer (catalog) zone."""
    with DNSMateClient.from_config(load_config()) as client:
        data = client.get(f"/api/zones/{segment(catalog)}/members")
    if as_json:
        print_json(data)
        return
    print_table([f"Members of {data.get('catalog', catalog)}"], [[m] for m in data["members"]])


def _described(body: dict[str, Any]) -> str:
    parts = [f"{k} {(', '.join(v) if isinstance(v, list) else v) or '(none)'}"
             for k, v in body.items() if k != "metadata"]  # fmt: skip
    for kind, values in body.get("metadata", {}).items():
        parts.append(f"{kind} {', '.join(values) or '(removed)'}")
    return "; ".join(parts)
