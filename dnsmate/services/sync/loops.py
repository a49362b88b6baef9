"""The background loops' two halves: run a job every N seconds, surviving its failures
(``every``), and stop such a task (``stop``). The health worker, the monitor's loops, the
webhook sender and the DNS UPDATE listener all run on them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger(__name__)


async def every(
    name: str, seconds: float, job: Callable[[], Awaitable[Any]], *, first: bool = True
) -> None:
    """Run ``job`` every ``seconds`` until cancelled (``first``: right away too); a failed
    round is logged and the next one retries."""
    if not first:
        await asyncio.sleep(seconds)
    while True:
        try:
            await job()
        except asyncio.CancelledError:
            raise
        except Exception:  # keep the loop alive; the next round retries
            log.exception("%s round failed", name)
        await asyncio.sleep(seconds)


async def stop(task: asyncio.Task[Any] | None) -> None:
    """Cancel ``task`` (None: nothing to stop) and wait until it has ended."""
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
