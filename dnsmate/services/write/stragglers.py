"""Tail-tolerant fan-out: a write stops waiting for a server that lags far behind the others.

A write goes to every target at once. When one of them answers (or fails) and another is
still working ``seconds`` later (or twice as long as the first answer took, whichever is
later: a machine under load slows every server alike), and that server has not answered
any request for that long either (a server that answers, only slowly or with many writes
queued behind its lock, is waited for), it is a *straggler*. If the caller allows it
(``may_cut``: the ``retry`` policy, where a straggler's change is queued and replayed), the
write answers without it and the straggler's result says ``not answering``.

The straggler's work is cancelled, except a write request already sent: that one runs to
its end (PowerDNS answers or the server's timeout ends it) while the change still holds the
server's write lock (``PowerDNSClient._send``). Nothing new is sent to the straggler after
the cut: no catch-up replay, no PATCH after a read. That is what keeps a late arrival
harmless. Every change is a delta applied under the server's write lock (read the RRset,
compute, PATCH REPLACE/DELETE), and the replay of the queued copy takes the same lock, so
it cannot run before the request in flight is over: if that request landed, the replay
reads the result and changes nothing (adding a present record, deleting an absent one); if
it did not, the replay applies it. A later change cannot overtake it either: the
straggler's breaker opens at once and later changes are queued behind it, in order. Letting
the whole operation go on instead would let it send its PATCH after the queue replayed
newer changes (a stale REPLACE); dropping the connection of the request in flight would
free the lock while PowerDNS may still apply it. What remains is what every HTTP client
faces: a server that applies a request after the timeout gave up on it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from dnsmate.powerdns import errors

log = logging.getLogger(__name__)

R = TypeVar("R")
# How often the servers still working are looked at again once the limit has passed.
CHECK_SECONDS = 0.1


class ServerStraggling(errors.PowerDNSTimeout):
    """No answer yet, long after the other targets answered; the request goes on behind.

    ``maybe_applied``: the request reached the server, which may still apply it.
    """

    default_message = "not answering"


class Stragglers:
    """The straggler limit and the requests left running in the background (one per app)."""

    def __init__(self, *, seconds: float) -> None:
        # 0 turns tail tolerance off: every write waits for every target.
        self.seconds = seconds
        self._background: set[asyncio.Future[Any]] = set()

    async def wait(
        self,
        tasks: Sequence[asyncio.Future[R]],
        *,
        answered: Callable[[R], bool],
        silent: Callable[[asyncio.Future[R]], float],
        may_cut: Callable[[], Awaitable[bool]] | None,
    ) -> set[asyncio.Future[R]]:
        """Wait for ``tasks``; returns the stragglers left running (empty: all finished).

        ``answered(result)`` tells a real answer from an instant one (a skipped server),
        which does not start the clock. ``silent(task)`` is how long the task's server has
        left a request unanswered (``PowerDNSClient.silent_seconds``): a server that is slow
        but answering (many writes queued behind its lock, a loaded machine) is waited for.
        """
        pending: set[asyncio.Future[R]] = set(tasks)
        if self.seconds <= 0 or may_cut is None or len(tasks) < 2:
            await asyncio.gather(*pending)
            return set()
        loop = asyncio.get_running_loop()
        started = loop.time()
        while pending:
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            if any(answered(task.result()) for task in done):
                break
        limit = max(self.seconds, loop.time() - started)
        cut: set[asyncio.Future[R]] = set()
        wait = limit
        while pending:
            _, pending = await asyncio.wait(pending, timeout=wait)
            wait = min(limit, CHECK_SECONDS)
            stalled = {task for task in pending if silent(task) >= limit}
            if not stalled:
                continue
            if not await may_cut():
                await asyncio.gather(*pending)
                return set()
            cut |= stalled
            pending -= stalled
        return cut

    def detach(self, task: asyncio.Future[Any], server: str) -> None:
        """Cancel a straggler's work; a write in flight finishes in the background first."""
        task.cancel()
        self._background.add(task)
        task.add_done_callback(lambda t: self._finished(t, server))

    def _finished(self, task: asyncio.Future[Any], server: str) -> None:
        self._background.discard(task)
        if task.cancelled():
            log.info("%s: straggling write stopped", server)
            return
        exc = task.exception()
        if exc is not None:
            log.error("%s: a straggling write failed unexpectedly", server, exc_info=exc)
            return
        result = task.result()
        log.info("%s: straggling write finished: %s", server,
                 "applied" if getattr(result, "success", False)
                 else getattr(result, "error", result))  # fmt: skip

    async def aclose(self) -> None:
        """Stop what still runs (at shutdown); the retry queue owes those changes anyway."""
        tasks, self._background = list(self._background), set()
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks)
