"""``dnsmate login``, ``logout`` and ``whoami``: the client's identity on a DNSMate server."""

from __future__ import annotations

from typing import Annotated

import typer

from dnsmate.cli.client import DNSMateClient
from dnsmate.cli.config import ClientConfig, config_path, load_config, load_stored, save_config
from dnsmate.cli.output import JsonOption, handle_errors, print_json, stdout


def login(
    url: Annotated[str | None, typer.Option(help="DNSMate URL, e.g. https://dns.example")] = None,
    email: Annotated[str | None, typer.Option(help="Your DNSMate e-mail")] = None,
    password: Annotated[
        str | None, typer.Option(help="Password (asked when omitted)", envvar="DNSMATE_PASSWORD")
    ] = None,
) -> None:
    """Log in to a DNSMate server and store the token (readable by you only)."""
    stored = load_stored()
    url = url or typer.prompt("DNSMate URL", default=stored.url)
    email = email or typer.prompt("E-mail", default=stored.email or None)
    password = password or typer.prompt("Password", hide_input=True)
    with DNSMateClient(url) as client:
        token = client.post("/api/auth/login", {"email": email, "password": password}).data
    config = ClientConfig(url=url.rstrip("/"), token=token["access_token"], email=email)
    path = save_config(config)
    stdout().print(f"Logged in to {config.url} as {email}; token stored in {path}", markup=False)


def logout() -> None:
    """Forget the stored token."""
    stored = load_stored()
    stored.token = None
    save_config(stored)
    stdout().print(f"Logged out (token removed from {config_path()})", markup=False)


def whoami(as_json: JsonOption = False) -> None:
    """Show the user the stored token belongs to."""
    config = load_config()
    with DNSMateClient.from_config(config) as client:
        me = client.get("/api/auth/me")
    if as_json:
        print_json({**me, "url": config.url})
    else:
        stdout().print(f"{me['email']} ({me['role']}) on {config.url}", markup=False)


def register(app: typer.Typer) -> None:
    for command in (login, logout, whoami):
        app.command()(handle_errors(command))
