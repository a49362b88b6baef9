"""``dnsmate login``, ``logout`` and ``whoami``: the client's identity on a DNSMate server.

``login`` exchanges e-mail and password for a DNSMate API token named after this machine
(revocable in the web interface or with ``dnsmate tokens revoke``) and stores it; the
password itself is never stored.
"""

from __future__ import annotations

import socket
from typing import Annotated

import typer

from dnsmate.cli.client import CLIError, DNSMateClient, OTPRequired
from dnsmate.cli.config import ClientConfig, config_path, load_config, load_stored, save_config
from dnsmate.cli.output import JsonOption, handle_errors, print_json, stderr, stdout

EmailOption = Annotated[str | None, typer.Option(help="Your DNSMate e-mail")]
PasswordOption = Annotated[
    str | None, typer.Option(help="Password (asked when omitted)", envvar="DNSMATE_PASSWORD")
]
OtpOption = Annotated[
    str | None,
    typer.Option("--otp", help="Two-factor code (asked when the account needs one)",
                 envvar="DNSMATE_OTP"),
]  # fmt: skip


def password_session(
    url: str, email: str, password: str | None, otp: str | None = None
) -> DNSMateClient:
    """A client logged in with a password (and two-factor code when the account has 2FA on).

    The login token is short-lived and never stored.
    """
    password = password or typer.prompt("Password", hide_input=True)
    body: dict[str, str] = {"email": email, "password": password}
    if otp:
        body["otp"] = otp
    with DNSMateClient(url) as anonymous:
        try:
            reply = anonymous.post("/api/auth/login", body)
        except OTPRequired:
            body["otp"] = typer.prompt("Two-factor code (authenticator or recovery code)")
            reply = anonymous.post("/api/auth/login", body)
    return DNSMateClient(url, reply.data["access_token"])


def login(
    url: Annotated[str | None, typer.Option(help="DNSMate URL, e.g. https://dns.example")] = None,
    email: EmailOption = None,
    password: PasswordOption = None,
    otp: OtpOption = None,
) -> None:
    """Log in to a DNSMate server and store an API token for this machine (mode 0600)."""
    stored = load_stored()
    url = (url or typer.prompt("DNSMate URL", default=stored.url)).rstrip("/")
    email = email or typer.prompt("E-mail", default=stored.email or None)
    name = f"dnsmate CLI ({socket.gethostname()})"
    with password_session(url, email, password, otp) as client:
        token = client.post("/api/tokens", {"name": name}).data
    config = ClientConfig(url=url, token=token["token"], email=email, token_id=token["id"])
    path = save_config(config)
    stdout().print(
        f"Logged in to {url} as {email}; API token {name!r} stored in {path}", markup=False
    )


def logout() -> None:
    """Revoke the stored API token on the server and forget it."""
    stored = load_stored()
    if stored.token and stored.token_id is not None:
        try:
            with DNSMateClient(stored.url, stored.token) as client:
                client.delete(f"/api/tokens/{stored.token_id}")
        except CLIError as exc:
            stderr().print(f"Could not revoke the token on {stored.url}: {exc}", markup=False)
    stored.token, stored.token_id = None, None
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
