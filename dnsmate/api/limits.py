"""Request body limits: a body larger than the limit is refused with 413 before it is read.

A declared ``Content-Length`` above the limit is answered at once; a body sent without one
(chunked) is counted as it streams, and the request fails with 413 as soon as it passes the
limit, so no request makes DNSMate buffer or parse more than the limit. Zone file imports
and bulk record changes have their own, larger limit.
"""

from __future__ import annotations

import re

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# POST /api/zones/{zone}/import (a whole zone file) and /api/records/{zone}/bulk (a CSV).
_IMPORT_PATH = re.compile(r"^/api/(?:zones/[^/]+/import|records/[^/]+/bulk)/?$")


def too_large(limit: int) -> str:
    """The 413 message, naming the limit and the setting that raises it."""
    return (
        f"Request body too large: the limit is {limit} bytes "
        "(DNSMATE_MAX_BODY_BYTES; DNSMATE_MAX_IMPORT_BYTES for imports and bulk changes)"
    )


class BodyLimitMiddleware:
    """Refuses request bodies above ``max_bytes`` (``max_import_bytes`` for zone imports)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, max_import_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_import_bytes = max_import_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        limit = self.max_import_bytes if _IMPORT_PATH.match(path) else self.max_bytes
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(scope, receive, send, limit)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # Raised inside the body read: FastAPI and Starlette answer it as a 413.
                    raise HTTPException(413, too_large(limit))
            return message

        await self.app(scope, counting_receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    message = too_large(limit)
    answer = JSONResponse(
        {"message": message, "detail": message}, status_code=413, headers={"Connection": "close"}
    )
    await answer(scope, receive, send)
