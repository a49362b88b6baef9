"""Serves the built web interface (frontend/dist) at ``/``, next to the API under ``/api``.

Hashed assets come from ``/assets``; any other GET outside ``/api`` answers with a file of
the build when one matches, else with ``index.html`` so the browser's router shows the page.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles

NOT_BUILT = (
    "DNSMate is running, but its web interface is not built.\n"
    "Run `make run` (or scripts/setup.sh) to build frontend/dist, then reload.\n"
    "The API is at /api (documentation at /docs).\n"
)


def mount_frontend(app: FastAPI, dist: Path) -> None:
    """Add the web interface routes; call after the API routers are included."""
    index = dist / "index.html"
    if not index.is_file():

        @app.get("/", include_in_schema=False)
        async def frontend_missing() -> PlainTextResponse:
            return PlainTextResponse(NOT_BUILT)

        return

    root = dist.resolve()
    if (root / "assets").is_dir():
        app.mount("/assets", StaticFiles(directory=root / "assets"), name="assets")

    @app.get("/{path:path}", include_in_schema=False)
    async def frontend(path: str) -> Response:
        if path == "api" or path.startswith("api/"):
            raise HTTPException(status_code=404, detail="Not Found")
        candidate = (root / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(root):
            return FileResponse(candidate)
        return FileResponse(index, headers={"Cache-Control": "no-cache"})
