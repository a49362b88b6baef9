"""One access log line per request: method, path, status, duration, user and client.

Replaces uvicorn's access log, which cannot know the user. Probes and scrapes (``/api/health``,
``/api/ready``, ``/metrics``) are logged at DEBUG: they come every few seconds and say
nothing an operator reads. The client address is the one ``TrustedProxyMiddleware`` found
(this middleware runs inside it).
"""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("dnsmate.access")
QUIET_PATHS = frozenset({"/api/health", "/api/ready", "/metrics"})


class AccessLogMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets when the app fails before answering

        async def send_and_record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_record)
        finally:
            self._log(scope, status, (time.perf_counter() - started) * 1000)

    @staticmethod
    def _log(scope: Scope, status: int, duration_ms: float) -> None:
        path: str = scope.get("path", "")
        level = logging.DEBUG if path in QUIET_PATHS else logging.INFO
        if not log.isEnabledFor(level):
            return
        state = scope.get("state") or {}
        user = getattr(state.get("user"), "email", None) or "-"
        via = state.get("auth_via") or "-"
        client = (scope.get("client") or ("-", 0))[0]
        method = scope.get("method", "")
        log.log(
            level,
            "%s %s %s %.1f ms user=%s via=%s client=%s",
            method, path, status, duration_ms, user, via, client,
            extra={"method": method, "path": path, "status": status,
                   "duration_ms": round(duration_ms, 1), "user": user, "via": via,
                   "client": client},
        )  # fmt: skip
