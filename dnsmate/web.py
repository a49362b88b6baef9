"""Serves the built web interface (frontend/dist) at ``/``, next to the API under ``/api``.

Hashed assets come from ``/assets``. Any other GET outside ``/api`` that no route answers
(a 404) gets a file of the build when one matches, else ``index.html`` so the browser's
router shows the page. Doing it in the 404 handler, not with a catch-all route, keeps every
route added to the app (now or later) in front of the interface.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import FileResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

NOT_BUILT = (
    "DNSMate is running, but its web interface is not built.\n"
    "Run `make run` (or scripts/setup.sh) to build frontend/dist, then reload.\n"
    "The API is at /api (documentation at /docs).\n"
)


def mount_frontend(app: FastAPI, dist: Path) -> None:
    """Serve the interface from ``dist``, or a hint at ``/`` when it is not built."""
    index = dist / "index.html"
    if not index.is_file():

        @app.get("/", include_in_schema=False)
        async def frontend_missing() -> PlainTextResponse:
            return PlainTextResponse(NOT_BUILT)

        return

    root = dist.resolve()
    if (root / "assets").is_dir():
        app.mount("/assets", StaticFiles(directory=root / "assets"), name="assets")

    async def not_found(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        path = request.url.path
        is_api = path == "/api" or path.startswith("/api/")
        if exc.status_code != 404 or request.method not in ("GET", "HEAD") or is_api:
            return await http_exception_handler(request, exc)
        candidate = (root / path.lstrip("/")).resolve()
        if candidate.is_file() and candidate.is_relative_to(root):
            return FileResponse(candidate)
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    app.add_exception_handler(StarletteHTTPException, not_found)
