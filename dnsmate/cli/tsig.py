"""``dnsmate tsig list|create|update|delete``: TSIG keys on every target server (for zone
transfers: AXFR-MASTER-TSIG and TSIG-ALLOW-AXFR in ``dnsmate zones settings set``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from dnsmate.cli.client import CLIError, DNSMateClient, segment
from dnsmate.cli.config import load_config
from dnsmate.cli.output import (
    JsonOption,
    handle_errors,
    print_json,
    print_table,
    report_write,
    stdout,
)

app = typer.Typer(help="TSIG keys on every PowerDNS server.", no_args_is_help=True)


@app.command("list")
@handle_errors
def list_keys(as_json: JsonOption = False) -> None:
    """The keys' names and algorithms (never their secrets)."""
    with DNSMateClient.from_config(load_config()) as client:
        data = client.get("/api/tsigkeys")
    if as_json:
        print_json(data["items"])
        return
    print_table(["Name", "Algorithm"], [[k["name"], k["algorithm"]] for k in data["items"]])


@app.command("create")
@handle_errors
def create_key(
    name: str,
    algorithm: Annotated[str, typer.Option(help="hmac-sha256, hmac-sha512, ...")] = "hmac-sha256",
    secret_file: Annotated[
        Path | None,
        typer.Option(
            help="Import the base64 secret in this file ('-': standard input); without it "
            "DNSMate makes one",
            allow_dash=True,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Create a key with the same secret on every server; a secret DNSMate makes is shown
    once (admins)."""
    secret = _secret(secret_file)
    body = {"name": name, "algorithm": algorithm, "secret": secret}
    with DNSMateClient.from_config(load_config()) as client:
        reply = client.post("/api/tsigkeys", body)
    if not as_json and secret is None:
        stdout().print(f"Secret (shown once): {reply.data['secret']}", markup=False)
    report_write(
        reply, as_json=as_json,
        summary=f"TSIG key {reply.data['name']} ({reply.data['algorithm']}) "
        f"{'imported' if secret else 'created'}",
    )  # fmt: skip


@app.command("update")
@handle_errors
def update_key(
    name: str,
    rename: Annotated[str | None, typer.Option(help="A new name for the key")] = None,
    algorithm: Annotated[str | None, typer.Option(help="A new algorithm")] = None,
    secret_file: Annotated[
        Path | None,
        typer.Option(
            help="Set the base64 secret in this file ('-': standard input)", allow_dash=True
        ),
    ] = None,
    rotate: Annotated[
        bool, typer.Option("--rotate", help="Replace the secret with a new one DNSMate makes")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Rename a key, change its algorithm, or set or rotate its secret on every server; a
    secret DNSMate makes is shown once (admins). Secondaries using the key need the new
    secret too."""
    body = {"name": rename, "algorithm": algorithm, "secret": _secret(secret_file),
            "rotate": rotate}  # fmt: skip
    with DNSMateClient.from_config(load_config()) as client:
        reply = client.put(f"/api/tsigkeys/{segment(name)}", body)
    if not as_json and rotate:
        stdout().print(f"Secret (shown once): {reply.data['secret']}", markup=False)
    report_write(
        reply, as_json=as_json,
        summary=f"TSIG key {reply.data['name']} ({reply.data['algorithm']}) updated",
    )  # fmt: skip


@app.command("delete")
@handle_errors
def delete_key(
    name: str,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation")] = False,
    as_json: JsonOption = False,
) -> None:
    """Delete a key from every server (zones naming it in metadata stop using it)."""
    if not yes:
        typer.confirm(f"Delete TSIG key {name} on every server?", abort=True)
    with DNSMateClient.from_config(load_config()) as client:
        reply = client.delete(f"/api/tsigkeys/{segment(name)}")
    report_write(reply, as_json=as_json, summary=f"TSIG key {name} deleted")


def _secret(path: Path | None) -> str | None:
    """The secret in ``path`` ('-': standard input), or None without a path."""
    if path is None:
        return None
    text = sys.stdin.read() if str(path) == "-" else _read(path)
    if not text.strip():
        raise CLIError(f"{path}: no secret in it")
    return text.strip()


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError as exc:
        raise CLIError(f"{path}: {exc.strerror or exc}") from exc
