"""``dnsmate export ZONE``, ``dnsmate import FILE``, ``dnsmate backup``: zone files in and out.

Imports are dry runs by default (the plan is shown); ``--apply`` applies the plan in one
atomic PATCH per server (several chunked PATCHes for very large zones).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from dnsmate.cli.client import CLIError, DNSMateClient, segment
from dnsmate.cli.config import load_config
from dnsmate.cli.output import (
    JsonOption,
    byte_progress,
    handle_errors,
    print_json,
    print_table,
    report_write,
    stderr,
    stdout,
)

OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="File to write")]
PLAN_ROWS = 50


def export_zone(zone: str, output: OutputOption = None) -> None:
    """Write the zone as an RFC 1035 zone file (to stdout, or -o FILE)."""
    with DNSMateClient.from_config(load_config()) as client:
        text = client.request("GET", f"/api/zones/{segment(zone)}/export").data
    if output is None:
        typer.echo(text, nl=False)
        return
    output.write_text(text)
    stderr().print(f"Zone {zone} written to {output}", markup=False)


def zone_from_filename(path: Path) -> str:
    """``example.com.zone`` / ``example.com.db`` / ``db.example.com`` -> ``example.com``."""
    name = re.sub(r"\.(zone|db|txt)$", "", path.name)
    return name.removeprefix("db.")


def import_zone(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    zone: Annotated[
        str | None, typer.Option(help="Zone name (default: from the file name)")
    ] = None,
    mode: Annotated[
        str, typer.Option(help="merge: add and change; replace: also delete what the file lacks")
    ] = "merge",
    apply: Annotated[bool, typer.Option("--apply", help="Apply (default: show the plan)")] = False,
    expect_serial: Annotated[
        int | None, typer.Option(help="Refuse when the zone's serial moved past this")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Import a zone file into a new or existing zone: plan first, --apply to write."""
    if mode not in ("merge", "replace"):
        raise CLIError("--mode must be merge or replace")
    name = zone or zone_from_filename(file)
    params = {"mode": mode, "dry_run": str(not apply).lower(), "expect_serial": expect_serial}
    with (
        DNSMateClient.from_config(load_config()) as client,
        stderr().status(f"{'Importing' if apply else 'Planning'} {name}"),
    ):
        reply = client.request(
            "POST", f"/api/zones/{segment(name)}/import", content=file.read_bytes(),
            params={k: v for k, v in params.items() if v is not None},
            headers={"Content-Type": "text/plain"},
        )  # fmt: skip
    plan = reply.data.get("plan", {})
    counts = f"{plan.get('adds', 0)} to add, {plan.get('changes', 0)} to change, " + (
        f"{plan.get('deletes', 0)} to delete"
    )
    if not apply:
        if as_json:
            print_json(reply.data)
            return
        _print_plan(reply.data)
        stdout().print(f"Plan for {name} ({mode}): {counts}. Run again with --apply to apply.",
                       markup=False)  # fmt: skip
        return
    report_write(
        reply, as_json=as_json, summary=f"Zone {name} imported ({counts.replace('to ', '')})"
    )


def _print_plan(data: dict[str, Any]) -> None:
    plan = data.get("plan", {})
    rows: list[list[str]] = []
    for kind, key in (("add", "added"), ("change", "changed"), ("delete", "deleted")):
        for item in plan.get(key, []):
            rrset = item.get("after", item)
            records = ", ".join(r["content"] for r in rrset.get("records", []))
            rows.append([kind, item["name"], item["type"], records])
    if rows:
        print_table(["Action", "Name", "Type", "Records"], rows[:PLAN_ROWS])
    if len(rows) > PLAN_ROWS or plan.get("truncated"):
        stdout().print("(more changes than shown; --json prints the whole plan)", markup=False)
    for note in data.get("notes", []):
        stderr().print(f"note: {note}", markup=False)


def backup(
    output: OutputOption = None,
    format: Annotated[str, typer.Option(help="tar.gz or zip")] = "tar.gz",
) -> None:
    """Download every zone as zone files plus a manifest, in one archive (admins)."""
    if format not in ("tar.gz", "zip"):
        raise CLIError("--format must be tar.gz or zip")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = output or Path(f"dnsmate-backup-{stamp}.{format}")
    partial = path.with_name(path.name + ".part")
    try:
        with (
            DNSMateClient.from_config(load_config()) as client,
            partial.open("wb") as sink,
            byte_progress("Backup") as progress,
        ):
            client.download("/api/backup", sink, params={"format": format}, progress=progress)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)
    stdout().print(f"Backup written to {path} ({path.stat().st_size} bytes)", markup=False)


def register(app: typer.Typer) -> None:
    app.command("export")(handle_errors(export_zone))
    app.command("import")(handle_errors(import_zone))
    app.command("backup")(handle_errors(backup))
