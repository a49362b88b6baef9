"""``dnsmate records list|add|update|delete|comment``: record-level changes on every target."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

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
    stdout,
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
          else "") + _comments(r)] for r in records],
    )  # fmt: skip


def _comments(record: dict[str, Any]) -> str:
    """The RRset's comments after the content, as a zone file would put them."""
    return "".join(f"  # {c['content']}" for c in record.get("comments") or [])


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


@app.command("comment")
@handle_errors
def comment_rrset(
    zone: str,
    name: str,
    type: str,
    text: Annotated[
        list[str] | None, typer.Argument(help="The comments (each one argument); none: remove")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Set the comments of NAME TYPE (the whole RRset) on every server; its records stay.
    Without TEXT the comments are removed."""
    body = {"comments": [{"content": t} for t in text or []]}
    path = f"/api/records/{segment(zone)}/{segment(name)}/{segment(type)}/comments"
    with DNSMateClient.from_config(load_config()) as client:
        reply = client.put(path, body)
    what = f"{reply.data.get('name', name)} {reply.data.get('type', type.upper())}"
    done = f"set: {'; '.join(text)}" if text else "removed"
    report_write(reply, as_json=as_json, summary=f"Comments of {what} {done}")


@app.command("bulk")
@handle_errors
def bulk_records(
    zone: str,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate only")] = False,
    as_json: JsonOption = False,
) -> None:
    """Apply many add/update/delete operations from a CSV (op,name,type,content,ttl,
    old_content) or JSON file: all validated first, then one atomic change per server."""
    kind = "text/csv" if file.suffix.lower() == ".csv" else "application/json"
    with DNSMateClient.from_config(load_config()) as client:
        reply = client.request(
            "POST", f"/api/records/{segment(zone)}/bulk", content=file.read_bytes(),
            params={"dry_run": str(dry_run).lower()}, headers={"Content-Type": kind},
        )  # fmt: skip
    counts = ", ".join(f"{n} {op}" for op, n in reply.data.get("counts", {}).items())
    if dry_run:
        if as_json:
            print_json(reply.data)
        else:
            stdout().print(f"Valid: {reply.data['operations']} operations ({counts}); "
                           "nothing applied (--dry-run)", markup=False)  # fmt: skip
        return
    report_write(reply, as_json=as_json, summary=f"{reply.data['operations']} operations "
                 f"({counts}) applied to {reply.data['zone']}")  # fmt: skip


@app.command("delete-matching")
@handle_errors
def delete_matching(
    zone: str,
    pattern: Annotated[str, typer.Argument(help="Glob on the name, e.g. '*.dev' or 'old-*'")],
    type: Annotated[str | None, typer.Option("--type", "-t", help="Only this type")] = None,
    apply: Annotated[bool, typer.Option("--apply", help="Delete (default: list)")] = False,
    as_json: JsonOption = False,
) -> None:
    """Delete every RRset whose name matches PATTERN (the SOA and apex NS never match)."""
    body = {"name": pattern, "type": type, "dry_run": not apply}
    with DNSMateClient.from_config(load_config()) as client:
        reply = client.post(f"/api/records/{segment(zone)}/bulk/delete", body)
    data = reply.data
    if not apply or not data["matched"]:
        if as_json:
            print_json(data)
            return
        print_table(
            ["Name", "Type", "TTL", "Records"],
            [[r["name"], r["type"], r["ttl"], ", ".join(x["content"] for x in r["records"])]
             for r in data["rrsets"]],
        )  # fmt: skip
        verb = "would be deleted; run again with --apply" if not apply else "deleted"
        stdout().print(f"{data['matched']} RRsets {verb}", markup=False)
        return
    report_write(reply, as_json=as_json, summary=f"{data['matched']} RRsets deleted")
