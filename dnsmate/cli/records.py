"""``dnsmate records list|add|update|delete``: record-level changes on every target."""

from __future__ import annotations

from typing import Annotated

import typer

from dnsmate.cli.client import DNSMateClient, segment
from dnsmate.cli.config import load_config
from dnsmate.cli.output import (
    JsonOption,
    fetch_pages,
    handle_errors,
    print_json,
    print_table,
    report_write,
)

app = typer.Typer(help="Records of a zone.", no_args_is_help=True)

TtlOption = Annotated[int | None, typer.Option(help="TTL in seconds")]


@app.command("list")
@handle_errors
def list_records(
    zone: str,
    name: Annotated[str | None, typer.Option(help="Only this name (www, @, or absolute)")] = None,
    type: Annotated[str | None, typer.Option("--type", "-t", help="Only this type")] = None,
    search: Annotated[str | None, typer.Option(help="Substring of name or content")] = None,
    as_json: JsonOption = False,
) -> None:
    """Every record of the zone (as the read server has it)."""
    with DNSMateClient.from_config(load_config()) as client:
        records = fetch_pages(
            client, f"/api/records/{segment(zone)}", label="Records",
            name=name, type=type, search=search,
        )  # fmt: skip
    if as_json:
        print_json(records)
        return
    print_table(
        ["Name", "Type", "TTL", "Content"],
        [[r["name"], r["type"], r["ttl"], r["content"] + (" (disabled)" if r.get("disabled")
          else "")] for r in records],
    )  # fmt: skip


@app.command("add")
@handle_errors
def add_record(
    zone: str,
    name: str,
    type: str,
    content: str,
    ttl: TtlOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add one record; the other records of its name and type stay."""
    body: dict[str, object] = {"name": name, "type": type, "content": content}
    if ttl is not None:
        body["ttl"] = ttl
    with DNSMateClient.from_config(load_config()) as client:
        reply = client.post(f"/api/records/{segment(zone)}", body)
    record = reply.data
    report_write(
        reply, as_json=as_json,
        summary=f"Record {record['name']} {record['type']} {record['content']} added",
    )  # fmt: skip


@app.command("update")
@handle_errors
def update_record(
    zone: str,
    name: str,
    type: str,
    old_content: str,
    new_content: str,
    ttl: Annotated[
        int | None, typer.Option(help="TTL in seconds (default: keep the current TTL)")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Replace one record's content (fails with 409 if OLD_CONTENT is gone)."""
    body = {"old_content": old_content, "content": new_content, "ttl": ttl}
    path = f"/api/records/{segment(zone)}/{segment(name)}/{segment(type)}"
    with DNSMateClient.from_config(load_config()) as client:
        reply = client.put(path, body)
    record = reply.data
    report_write(
        reply, as_json=as_json,
        summary=f"Record {record['name']} {record['type']} updated to {record['content']}",
    )  # fmt: skip


@app.command("delete")
@handle_errors
def delete_record(
    zone: str,
    name: str,
    type: str,
    content: Annotated[
        str | None, typer.Argument(help="The record to remove; omit to remove all of NAME TYPE")
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation")] = False,
    as_json: JsonOption = False,
) -> None:
    """Remove one record, or the whole RRset when CONTENT is omitted."""
    if content is None and not yes:
        typer.confirm(f"Delete every {type.upper()} record of {name} in {zone}?", abort=True)
    path = f"/api/records/{segment(zone)}/{segment(name)}/{segment(type)}"
    with DNSMateClient.from_config(load_config()) as client:
        reply = client.delete(path, content=content)
    what = f"{reply.data['name']} {reply.data['type']}" + (f" {content}" if content else "")
    report_write(reply, as_json=as_json, summary=f"Record {what} deleted")
