"""The web interface is served at / from frontend/dist, next to the API under /api."""

from __future__ import annotations

from pathlib import Path

import httpx

from dnsmate.main import create_app
from tests.conftest import make_settings


def _client(tmp_path: Path, sqlite_url: str, dist: Path) -> httpx.AsyncClient:
    settings = make_settings(tmp_path, sqlite_url).model_copy(update={"frontend_dist": dist})
    app = create_app(settings)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def test_built_interface_is_served_with_spa_fallback(tmp_path: Path, sqlite_url: str) -> None:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><div id=root></div>")
    (dist / "assets" / "app-123.js").write_text("console.log(1)")
    (dist / "favicon.svg").write_text("<svg/>")
    (tmp_path / "secret.txt").write_text("outside dist")

    async with _client(tmp_path, sqlite_url, dist) as client:
        for path in ("/", "/zones/example.com", "/settings/powerdns"):
            page = await client.get(path)
            assert page.status_code == 200, path
            assert "<div id=root>" in page.text
        assert (await client.get("/assets/app-123.js")).text == "console.log(1)"
        assert (await client.get("/favicon.svg")).text == "<svg/>"
        assert "outside dist" not in (await client.get("/..%2Fsecret.txt")).text
        missing_api = await client.get("/api/no-such-route")
        assert missing_api.status_code == 404
        assert missing_api.json() == {"detail": "Not Found"}
        assert (await client.get("/api/zones")).status_code == 401


async def test_without_a_build_root_says_how_to_build(tmp_path: Path, sqlite_url: str) -> None:
    async with _client(tmp_path, sqlite_url, tmp_path / "no-dist") as client:
        page = await client.get("/")
        assert page.status_code == 200
        assert "make run" in page.text


async def test_routes_added_later_are_not_shadowed(tmp_path: Path, sqlite_url: str) -> None:
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text("<!doctype html><div id=root></div>")
    settings = make_settings(tmp_path, sqlite_url).model_copy(update={"frontend_dist": dist})
    app = create_app(settings)

    @app.get("/added-later")
    async def added_later() -> dict[str, str]:
        return {"ok": "yes"}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        assert (await client.get("/added-later")).json() == {"ok": "yes"}
        assert "<div id=root>" in (await client.get("/zones")).text
        assert (await client.post("/zones")).status_code in (404, 405)
