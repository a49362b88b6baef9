"""The ``dnsmate`` app: local operator commands here, API client commands in sibling modules.

Local (run on the DNSMate host, no login): serve, demo, db upgrade, users create-admin.
Client (talk to a DNSMate server over its API): login, servers, zones, records, ...
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console

from dnsmate.cli import auth, jobs, records, servers, sync, tokens, transfer, tsig, zones
from dnsmate.config import ConfigError, Settings
from dnsmate.logs import configure_logging

if TYPE_CHECKING:  # the demo's helpers load only for --demo
    from dnsmate.dev.pdns_local import LocalPowerDNS

app = typer.Typer(
    help="DNSMate: manage zones and records on one or many PowerDNS servers.", no_args_is_help=True
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
users_app = typer.Typer(help="Local user administration.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
auth.register(app)
app.add_typer(servers.app, name="servers")
app.add_typer(zones.app, name="zones")
app.add_typer(records.app, name="records")
app.add_typer(tokens.app, name="tokens")
app.add_typer(tsig.app, name="tsig")
app.add_typer(sync.app, name="sync")
app.add_typer(jobs.app, name="jobs")
transfer.register(app)

T = TypeVar("T")
console = Console()
err = Console(stderr=True)


def _settings() -> Settings:
    try:
        settings = Settings()
        settings.resolved_secret_key()
    except ConfigError as exc:
        err.print(f"[red]Configuration error:[/red] {exc}")
        raise typer.Exit(2) from exc
    return settings


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply pending database migrations."""
    from dnsmate.migrations import upgrade

    settings = _settings()
    upgrade(settings.database_url)
    console.print("Database is up to date.")


@db_app.command("backup")
def db_backup(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: dated name)")
    ] = None,
) -> None:
    """Back up DNSMate's own database (users, tokens, queue, versions, audit)."""
    from dnsmate.services.history.dbbackup import backup_database

    settings = _settings()
    suffix = "sqlite3" if settings.database_url.startswith("sqlite") else "pgdump"
    path = output or Path(f"dnsmate-db-{time.strftime('%Y%m%d-%H%M%S')}.{suffix}")
    info = _database_step(lambda: backup_database(database_url=settings.database_url, path=path))
    console.print(f"Backed up the {info.kind} database to {info.path} ({info.size} bytes).")


@db_app.command("restore")
def db_restore(
    backup: Annotated[Path, typer.Argument(help="A file written by `dnsmate db backup`")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation")] = False,
) -> None:
    """Replace the database's content with a backup, then migrate it. Stop DNSMate first."""
    from dnsmate.services.history.dbbackup import restore_database

    settings = _settings()
    if not yes:
        typer.confirm(
            f"Replace EVERYTHING in {_safe_url(settings.database_url)} with {backup}? "
            "Every DNSMate process must be stopped",
            abort=True,
        )
    info = _database_step(lambda: restore_database(database_url=settings.database_url,
                                                   path=backup))  # fmt: skip
    console.print(f"Restored the {info.kind} database from {info.path}; it is migrated to head.")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _database_step(step: Callable[[], T]) -> T:
    from dnsmate.services.history.dbbackup import DatabaseBackupError

    try:
        return step()
    except DatabaseBackupError as exc:
        err.print(f"[red]Error:[/red] {exc}")
        raise typer.Exit(1) from exc


@users_app.command("create-admin")
def create_admin(
    email: Annotated[str, typer.Option(prompt=True)],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
) -> None:
    """Create an admin user in the local database."""
    from dnsmate.db import make_engine, make_session_factory
    from dnsmate.migrations import upgrade
    from dnsmate.services.access.users import create_user
    from dnsmate.services.errors import DNSMateError

    settings = _settings()
    upgrade(settings.database_url)

    async def run() -> None:
        engine = make_engine(settings.database_url)
        async with make_session_factory(engine)() as session:
            await create_user(session=session, email=email, password=password, role="admin")
        await engine.dispose()

    try:
        asyncio.run(run())
    except DNSMateError as exc:
        err.print(f"[red]Error:[/red] {exc}")
        raise typer.Exit(1) from exc
    console.print(f"Admin {email} created.")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    demo: Annotated[
        bool, typer.Option(help="Also start three local demo PowerDNS servers")
    ] = False,
) -> None:
    """Apply migrations and run DNSMate in the foreground."""
    import uvicorn

    from dnsmate.main import create_app
    from dnsmate.migrations import upgrade

    settings = _settings()
    configure_logging(fmt=settings.log_format, level=settings.log_level)
    upgrade(settings.database_url)
    demo_servers = _start_demo(settings) if demo else []
    console.print(f"DNSMate listening on [bold]http://{host}:{port}[/bold]")
    application = create_app(settings)
    _tune_garbage_collector()
    try:
        # proxy_headers off: uvicorn would believe X-Forwarded-For from 127.0.0.1 by default;
        # DNSMate reads it only from DNSMATE_TRUSTED_PROXIES (dnsmate/api/proxy.py).
        # DNSMate's logging (log_config=None keeps uvicorn from replacing it) and its own
        # access log, which names the user (api/access_log.py). Keep-alive: config.py.
        uvicorn.run(application, host=host, port=port, proxy_headers=False,
                    log_config=None, access_log=False,
                    timeout_keep_alive=settings.keep_alive_seconds)  # fmt: skip
    finally:
        for server in demo_servers:
            server.stop()


# Python's default (collect young objects every 700 allocations, everything every 100
# young collections) made a 10,000-operation bulk change spend more time in the cycle
# collector than in DNSMate: each collection walks the decoded zones (hundreds of thousands
# of dicts). Reference counting frees those anyway; cycles are rare, so collect less often.
GC_THRESHOLDS = (100_000, 50, 100)


def _tune_garbage_collector() -> None:
    """Freeze start-up objects (never garbage) and raise the collection thresholds."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


@app.command("demo")
def run_demo(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
) -> None:
    """Start three local PowerDNS servers, a sample zone, and DNSMate (same as serve --demo)."""
    serve(host=host, port=port, demo=True)


def _start_demo(settings: Settings) -> list[LocalPowerDNS]:
    from dnsmate.db import make_engine, make_session_factory
    from dnsmate.dev.demo import configure_demo, start_demo_servers
    from dnsmate.dev.pdns_local import find_pdns_server
    from dnsmate.security import SecretBox
    from dnsmate.services.fleet.servers import ClientPool

    if find_pdns_server() is None:
        err.print(
            "[yellow]pdns_server not found: starting without the demo servers "
            "(install pdns-server and pdns-backend-sqlite3).[/yellow]"
        )
        return []
    state, pdns = start_demo_servers(settings.data_dir)

    async def configure() -> None:
        engine = make_engine(settings.database_url)
        box = SecretBox(settings.resolved_secret_key())
        pool = ClientPool(
            box,
            write_retries=settings.write_retries,
            retry_base_seconds=settings.write_retry_base_seconds,
        )
        async with make_session_factory(engine)() as session:
            await configure_demo(session=session, box=box, state=state, pdns=pdns, pool=pool)
        await pool.aclose()
        await engine.dispose()

    asyncio.run(configure())
    for server in pdns:
        console.print(f"  {server.name}: API {server.api_url}, DNS 127.0.0.1:{server.dns_port}")
    # The password stays out of the output (which often ends up in a log): it is in the
    # state file, readable by this user only.
    console.print(
        f"Demo login: [bold]{state.email}[/bold], password in "
        f"{settings.data_dir / 'demo' / 'state.json'} (jq -r .password)"
    )
    return pdns
