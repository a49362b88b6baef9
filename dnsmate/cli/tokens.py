"""``dnsmate tokens list|create|revoke``: API tokens for scripts and PowerDNS tools.

A token is what octoDNS, lexicon/certbot and other PowerDNS clients send as ``X-API-Key``
to DNSMate's PowerDNS-compatible API. Creating one needs your password (an API token
cannot create tokens).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer

from dnsmate.cli.auth import EmailOption, OtpOption, PasswordOption, password_session
from dnsmate.cli.client import CLIError, DNSMateClient
from dnsmate.cli.config import load_config
from dnsmate.cli.output import JsonOption, handle_errors, print_json, print_table, stdout, yes_no

app = typer.Typer(help="API tokens (also the X-API-Key of PowerDNS tools).", no_args_is_help=True)


@app.command("list")
@handle_errors
def list_tokens(as_json: JsonOption = False) -> None:
    """Your API tokens (an admin sees everyone's), never with their secrets."""
    with DNSMateClient.from_config(load_config()) as client:
        tokens = client.get("/api/tokens")
    if as_json:
        print_json(tokens)
        return
    print_table(
        ["ID", "Name", "Prefix", "Read-only", "Zones", "Expires", "Last used"],
        [
            [t["id"], t["name"], t["prefix"] + "…", yes_no(t["read_only"]),
             ", ".join(t["zones"]) if t["zones"] is not None else "all",
             t["expires_at"] or "never", t["last_used_at"] or ""]
            for t in tokens
        ],
    )  # fmt: skip


@app.command("create")
@handle_errors
def create_token(
    name: str,
    read_only: Annotated[bool, typer.Option("--read-only", help="Reads only")] = False,
    zone: Annotated[
        list[str] | None, typer.Option("--zone", help="Limit to this zone (repeatable)")
    ] = None,
    expires_days: Annotated[int | None, typer.Option(help="Expire after N days", min=1)] = None,
    email: EmailOption = None,
    password: PasswordOption = None,
    otp: OtpOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create a token; its secret is printed once."""
    config = load_config()
    email = email or config.email or typer.prompt("E-mail")
    body: dict[str, object] = {"name": name, "read_only": read_only, "zones": zone or None}
    if expires_days is not None:
        body["expires_at"] = (datetime.now(UTC) + timedelta(days=expires_days)).isoformat()
    with password_session(config.url, email, password, otp) as client:
        token = client.post("/api/tokens", body).data
    if as_json:
        print_json(token)
        return
    stdout().print(f"Token {token['name']!r} (id {token['id']}) created. Its secret, shown "
                   "only now:", markup=False)  # fmt: skip
    typer.echo(token["token"])


@app.command("revoke")
@handle_errors
def revoke_token(token_id: int) -> None:
    """Revoke a token; it stops working at once."""
    config = load_config()
    if config.token_id == token_id:
        raise CLIError("That is this machine's login token: use `dnsmate logout`")
    with DNSMateClient.from_config(config) as client:
        client.delete(f"/api/tokens/{token_id}")
    stdout().print(f"Token {token_id} revoked", markup=False)
