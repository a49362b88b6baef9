"""``dnsmate zones history list|show|compare``: a zone's versions and what each one
changed."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from dnsmate.cli.client import DNSMateClient, segment
from dnsmate.cli.config import load_config
from dnsmate.cli.output import JsonOption, handle_errors, print_json, print_table, stdout

history_app = typer.Typer(help="A zone's versions and their changes.", no_args_is_help=True)

NameOption = Annotated[
    str | None, typer.Option(help="Only RRsets at this name (www, @, or absolute)")
]


@history_app.command("list")
@handle_errors
def list_versions(
    zone: str,
    name: NameOption = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many, newest first")] = 50,
    as_json: JsonOption = False,
) -> None:
    """The zone's versions, newest first: who, when, how, and what changed."""
    with DNSMateClient.from_config(load_config()) as client:
        data = client.get(f"/api/zones/{segment(zone)}/versions", page=1, per_page=limit, name=name)
    if as_json:
        print_json(data)
        return
    print_table(
        ["Version", "When", "Who", "Via", "Action", "+", "~", "-", "Summary"],
        [[v["id"], str(v["created_at"])[:19].replace("T", " "), v["actor"], v["via"],
          v["action"], v["added"], v["changed"], v["deleted"], v["summary"]]
         for v in data["items"]],
    )  # fmt: skip
    if data["total"] > len(data["items"]):
        stdout().print(f"{len(data['items'])} of {data['total']} versions (--limit)")


@history_app.command("show")
@handle_errors
def show_version(
    zone: str,
    version: Annotated[int, typer.Argument(help="The version's id (from history list)")],
    name: NameOption = None,
    as_json: JsonOption = False,
) -> None:
    """What one version added (+), changed (~, before -> after) and removed (-)."""
    with DNSMateClient.from_config(load_config()) as client:
        data = client.get(f"/api/zones/{segment(zone)}/versions/{version}/changes", name=name)
    if as_json:
        print_json(data)
        return
    plan = data["plan"]
    out = stdout()
    out.print(f"Version {data['id']} of {data['zone']}: {data['summary']} ({data['action']}, "
              f"{data['actor'] or data['via']}, {str(data['created_at'])[:19]})",
              markup=False)  # fmt: skip
    for line in diff_lines(plan):
        out.print(line, markup=False)
    out.print(f"{plan['adds']} added, {plan['changes']} changed, {plan['deletes']} removed",
              markup=False)  # fmt: skip


@history_app.command("compare")
@handle_errors
def compare_versions(
    zone: str,
    version: Annotated[int, typer.Argument(help="The older version's id")],
    to: Annotated[int | None, typer.Option(help="The newer version (default: the latest)")] = None,
    as_json: JsonOption = False,
) -> None:
    """What changed from VERSION to --to (the latest by default): + ~ - lines, SOA aside."""
    with DNSMateClient.from_config(load_config()) as client:
        data = client.get(
            f"/api/zones/{segment(zone)}/versions/compare", **{"from": version, "to": to}
        )
    if as_json:
        print_json(data)
        return
    out = stdout()
    out.print(f"{data['zone']} from version {data['from']} to {data['to']}:", markup=False)
    for line in diff_lines(data):
        out.print(line, markup=False)
    out.print(f"{data['adds']} added, {data['changes']} changed, {data['deletes']} removed",
              markup=False)  # fmt: skip


def diff_lines(plan: dict[str, Any]) -> list[str]:
    """A plan as +/~/- lines, with TTL and comment changes spelled out."""
    lines = [f"+ {_rrset(r)}" for r in plan["added"]]
    for change in plan["changed"]:
        before, after = change["before"], change["after"]
        was, now = _contents(before), _contents(after)
        text = f"~ {change['name']} {change['type']}: " + (now if was == now else f"{was} -> {now}")
        if before["ttl"] != after["ttl"]:
            text += f" (TTL {before['ttl']} -> {after['ttl']})"
        old, new = _comments(before), _comments(after)
        if old is not None and new is not None and old != new:
            text += f" (comments: {old} -> {new})"
        lines.append(text)
    lines += [f"- {_rrset(r)}" for r in plan["deleted"]]
    if plan.get("truncated"):
        lines.append("(only the first changes are listed)")
    return lines


def _rrset(rrset: dict[str, Any]) -> str:
    return f"{rrset['name']} {rrset['ttl']} {rrset['type']} {_contents(rrset)}"


def _contents(rrset: dict[str, Any]) -> str:
    return ", ".join(
        r["content"] + (" (disabled)" if r.get("disabled") else "") for r in rrset["records"]
    )


def _comments(rrset: dict[str, Any]) -> str | None:
    comments = rrset.get("comments")
    if comments is None:
        return None
    return ", ".join(f'"{c["content"]}"' for c in comments) or "none"
