"""Security headers on every response, and errors without stack traces or secrets."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import Api

EXPECTED = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/health"),
        ("GET", "/api/zones/nowhere.example"),  # 503: no server configured
        ("GET", "/api/users/99999"),  # 404
        ("POST", "/api/users"),  # 422
        ("GET", "/"),
        ("GET", "/docs"),
    ],
)
async def test_headers_on_every_response(api: Api, method: str, path: str) -> None:
    response = await api.client.request(method, path)
    for name, value in EXPECTED.items():
        assert response.headers[name] == value, (path, name)
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    if path != "/docs":
        assert "script-src 'self';" in csp  # no inline or third-party script
    if path.startswith("/api"):
        assert response.headers["cache-control"] == "no-store"


async def test_unexpected_errors_answer_500_without_details(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(**_kwargs: object) -> None:
        raise RuntimeError("SELECT password_hash FROM users -- secret-value-123")

    monkeypatch.setattr("dnsmate.services.access.users.list_users", broken)
    response = await api.client.get("/api/users")
    assert response.status_code == 500
    assert response.headers["x-frame-options"] == "DENY"
    assert "secret-value-123" not in response.text and "Traceback" not in response.text
    assert "SELECT" not in response.text
    assert response.json()["message"].startswith("Internal server error")


async def test_unauthenticated_answers_have_headers(api: Api) -> None:
    response = await api.client.get("/api/zones", headers={"Authorization": ""})
    assert response.status_code == 401 and response.headers["x-frame-options"] == "DENY"
    transport = httpx.ASGITransport(app=api.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://dnsmate.test") as anon:
        bad = await anon.get("/api/zones", headers={"Authorization": "Bearer dnsmate_nope"})
    assert bad.status_code == 401 and "nosniff" in bad.headers["x-content-type-options"]
