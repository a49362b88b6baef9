"""Signed UPDATEs already answered: a message sent again is answered, not applied again.

TSIG (RFC 8945) proves who signed a message and that it is recent (within its fudge, 300 s
for nsupdate and dnspython), not that it is new: anyone who saw a signed "add this record"
on the wire could send the same bytes again after the key's owner deleted the record, and
the record would come back. ``SeenUpdates`` remembers each verified UPDATE by its key and
MAC until its signature expires (Time Signed + fudge; after that the gateway answers
BADTIME anyway) and gives a repeat the first answer: a replay changes nothing, and a
client that sends its message again because the answer was lost (UDP) still gets it.

It lives in the listener's process, the only one that receives UPDATEs (``listener``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import dns.message

# At most this many messages are remembered; beyond it the oldest is forgotten first (a
# key's owner sending more than this within a fudge window could replay their own oldest).
LIMIT = 100_000


class SeenUpdates:
    """The answers to the verified UPDATEs whose signatures have not expired."""

    def __init__(self, *, limit: int = LIMIT) -> None:
        self._limit = limit
        # (key name, MAC) -> (expiry, wall clock; the answer, or None when it failed)
        self._seen: dict[tuple[str, bytes], tuple[float, asyncio.Future[bytes | None]]] = {}

    async def once(
        self, message: dns.message.Message, answer: Callable[[], Awaitable[bytes]]
    ) -> bytes | None:
        """``answer()`` for the first arrival of the TSIG-verified ``message``; for a later
        one (even while the first is still being applied), the first one's answer. None when
        the first one failed (the caller answers SERVFAIL)."""
        assert message.tsig is not None  # only verified messages come here
        tsig = message.tsig[0]
        seen_key = (str(message.keyname).lower(), bytes(tsig.mac))
        self._forget_expired()
        found = self._seen.get(seen_key)
        if found is not None:
            return await asyncio.shield(found[1])
        future: asyncio.Future[bytes | None] = asyncio.get_running_loop().create_future()
        self._seen[seen_key] = (float(tsig.time_signed + tsig.fudge), future)
        while len(self._seen) > self._limit:
            del self._seen[next(iter(self._seen))]
        try:
            wire = await answer()
        except BaseException:
            future.set_result(None)
            raise
        future.set_result(wire)
        return wire

    def _forget_expired(self) -> None:
        """Forget from the oldest on, up to the first still valid (arrival order is about
        expiry order: a longer fudge only keeps a few entries longer)."""
        now = time.time()
        while self._seen:
            seen_key, (expiry, future) = next(iter(self._seen.items()))
            if expiry >= now or not future.done():
                return
            del self._seen[seen_key]
