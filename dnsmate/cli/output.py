"""How the command line shows results: Rich tables for people, JSON for scripts.

Exit codes: 0 success, 3 partial success (HTTP 207: some servers failed, listed on
stderr), 1 failure (raised as ``CLIError``).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from dnsmate.cli.client import EXIT_PARTIAL, CLIError, DNSMateClient, Reply

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts")]
P = ParamSpec("P")
R = TypeVar("R")


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """The one place a CLIError becomes output on stderr and an exit code."""

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except CLIError as exc:
            exc.show()
            raise typer.Exit(exc.exit_code) from exc

    return run


def stdout() -> Console:
    return Console(highlight=False)


def stderr() -> Console:
    return Console(stderr=True, highlight=False)


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, sort_keys=False))


def print_table(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], *, title: str | None = None
) -> None:
    table = Table(title=title, show_lines=False, header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    stdout().print(table)


def yes_no(value: object) -> str:
    return "yes" if value else "no"


def report_write(reply: Reply, *, as_json: bool, summary: str) -> None:
    """Show a fan-out write's outcome; exit 3 when only some servers applied it."""
    if as_json:
        print_json(reply.data)
    else:
        servers = reply.servers
        ok = sum(1 for s in servers if s.success)
        where = f" on {ok}/{len(servers)} servers" if servers else ""
        mark = "[yellow]![/yellow]" if reply.partial else "[green]✓[/green]"
        stdout().print(f"{mark} {summary}{where}")
        for server in servers:
            state = "ok" if server.success else f"failed: {server.error}"
            if server.server in reply.queued_servers:
                state += " (queued: replayed when the server is back)"
            stdout().print(f"  {server.server}: {state}", markup=False)
    if reply.partial:
        err = stderr()
        err.print("[yellow]Partial success:[/yellow] some servers did not apply the change")
        for line in reply.failed_servers:
            err.print(f"  {line}", markup=False)
        if reply.queued_servers:
            err.print(f"  queued for: {', '.join(reply.queued_servers)}", markup=False)
        raise typer.Exit(EXIT_PARTIAL)


def fetch_pages(
    client: DNSMateClient, path: str, *, label: str, per_page: int = 1000, **params: Any
) -> list[dict[str, Any]]:
    """Every item of a paginated list endpoint, with a progress bar when it takes pages."""
    first = client.get(path, page=1, per_page=per_page, **params)
    items: list[dict[str, Any]] = list(first["items"])
    total = int(first["total"])
    pages = -(-total // per_page)
    if pages <= 1:
        return items
    with progress_bar() as progress:
        task = progress.add_task(label, total=total, completed=len(items))
        for page in range(2, pages + 1):
            items += client.get(path, page=page, per_page=per_page, **params)["items"]
            progress.update(task, completed=len(items))
    return items


def progress_bar() -> Progress:
    """A transient progress bar on stderr (label, bar, done of total, time elapsed)."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr(),
        transient=True,
    )


@contextmanager
def byte_progress(label: str) -> Iterator[Callable[[int, int | None], None]]:
    """A progress bar on stderr for a transfer; yields the callback that advances it."""
    with Progress(
        TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
        console=stderr(), transient=True,
    ) as progress:  # fmt: skip
        task = progress.add_task(label, total=None)

        def update(done: int, total: int | None) -> None:
            progress.update(task, completed=done, total=total)

        yield update
