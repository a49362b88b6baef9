"""The permission matrix of the PowerDNS-compatible API: every /api/v1 route x every caller.

The callers hold DNSMate API tokens, sent as ``X-API-Key``: one per role, an admin's
read-only token, an admin's token limited to one zone, and no key at all. The rules and
the expected decision per cell are those of DNSMate's own API (``test_permission_matrix``).
"""

from __future__ import annotations

import re

import pytest
from fastapi.routing import iter_route_contexts

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import Api, login_headers, make_user
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.syncutil import create_zone
from tests.integration.test_permission_matrix import CALLERS, Probe, is_compat_path, matrix_failures

BASE = "/api/v1/servers/localhost"
RULES: dict[str, str] = {
    "GET /api": "user",
    "GET /api/v1": "user",
    "GET /api/v1/servers": "user",
    f"GET {BASE}": "user",
    f"GET {BASE}/zones": "user",
    f"POST {BASE}/zones": "creator",
    f"GET {BASE}/zones/{{zone_id}}": "zone_read",
    f"PATCH {BASE}/zones/{{zone_id}}": "zone_write",
    f"PUT {BASE}/zones/{{zone_id}}": "creator",  # zone metadata: beyond records
    f"DELETE {BASE}/zones/{{zone_id}}": "creator",
    f"GET {BASE}/zones/{{zone_id}}/export": "zone_read",
    f"PUT {BASE}/zones/{{zone_id}}/notify": "zone_write",
    f"PUT {BASE}/zones/{{zone_id}}/rectify": "zone_write",
    f"PUT {BASE}/zones/{{zone_id}}/axfr-retrieve": "zone_write",
    f"GET {BASE}/zones/{{zone_id}}/cryptokeys": "zone_read",
    f"POST {BASE}/zones/{{zone_id}}/cryptokeys": "creator",  # signing: as /api's DNSSEC
    f"GET {BASE}/zones/{{zone_id}}/cryptokeys/{{key_id}}": "zone_read",
    f"PUT {BASE}/zones/{{zone_id}}/cryptokeys/{{key_id}}": "creator",
    f"DELETE {BASE}/zones/{{zone_id}}/cryptokeys/{{key_id}}": "creator",
    f"GET {BASE}/zones/{{zone_id}}/metadata": "zone_read",
    f"POST {BASE}/zones/{{zone_id}}/metadata": "creator",  # metadata: as PUT on the zone
    f"GET {BASE}/zones/{{zone_id}}/metadata/{{kind}}": "zone_read",
    f"PUT {BASE}/zones/{{zone_id}}/metadata/{{kind}}": "creator",
    f"DELETE {BASE}/zones/{{zone_id}}/metadata/{{kind}}": "creator",
    f"GET {BASE}/tsigkeys": "admin",  # secrets: as /api/tsigkeys
    f"POST {BASE}/tsigkeys": "admin",
    f"GET {BASE}/tsigkeys/{{key_id}}": "secret",
    f"PUT {BASE}/tsigkeys/{{key_id}}": "admin",
    f"DELETE {BASE}/tsigkeys/{{key_id}}": "admin",
    f"GET {BASE}/search-data": "user",  # matches in the caller's zones only
    f"GET {BASE}/statistics": "account",
    f"PUT {BASE}/cache/flush": "account",
    f"GET {BASE}/config": "admin",  # the read server's settings
    f"GET {BASE}/autoprimaries": "admin",
    f"POST {BASE}/autoprimaries": "admin",
    f"DELETE {BASE}/autoprimaries/{{ip}}/{{nameserver}}": "admin",
    **{f"{m} /api/v1/{{path:path}}": "user" for m in ("GET", "POST", "PUT", "PATCH", "DELETE")},
}


def compat_routes(api: Api) -> list[Probe]:
    probes = []
    for route in iter_route_contexts(api.app.routes):
        path = route.path or ""
        if not is_compat_path(path):
            continue
        has_body = getattr(route, "body_field", None) is not None
        for method in sorted(route.methods or {"MOUNT"}):
            probes.append(Probe(method, path, RULES.get(f"{method} {path}", ""), has_body))
    return probes


def fill(path: str, zone: str) -> str:
    values = {"zone_id": zone + ".", "path": "99999"}
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: values.get(m.group(1), "99999"), path)


async def test_every_compat_route_has_a_rule(api: Api) -> None:
    routes = {f"{p.method} {p.path}" for p in compat_routes(api)}
    assert not [r for r in routes if r not in RULES], "compat routes without a rule"
    assert not set(RULES) - routes, "rules for compat routes that do not exist"


@pytest.fixture
async def api_keys(api: Api, pdns_servers: list[LocalPowerDNS]) -> dict[str, object]:
    """An X-API-Key header per caller kind, and the granted and ungranted zones."""
    await register_servers(api.client, pdns_servers[:1], (False,))
    granted, other = unique_zone("grant"), unique_zone("nogrant")
    for zone in (granted, other):
        created = await create_zone(api, zone)
        assert created.status_code == 201, created.text
    logins = {"admin": {"Authorization": api.client.headers["Authorization"]}}
    for role in ("editor", "manager", "reader"):
        user_id = await make_user(api, f"{role}@example.com", role)
        if role == "manager":
            grant = await api.client.put(f"/api/users/{user_id}/zones", json={"zones": [granted]})
            assert grant.status_code == 200, grant.text
        logins[role] = await login_headers(api, f"{role}@example.com")
    bodies = {role: ("admin" if role in ("read_only_token", "zone_token") else role, {})
              for role in CALLERS if role != "anonymous"}  # fmt: skip
    bodies["read_only_token"] = ("admin", {"read_only": True})
    bodies["zone_token"] = ("admin", {"zones": [granted]})
    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    for caller, (login, extra) in bodies.items():
        token = await api.client.post(
            "/api/tokens", json={"name": caller, **extra}, headers=logins[login]
        )
        assert token.status_code == 201, token.text
        headers[caller] = {"X-API-Key": token.json()["token"]}
    return {"headers": headers, "granted": granted, "other": other}


async def test_compat_permission_matrix(api: Api, api_keys: dict[str, object]) -> None:
    failures = await matrix_failures(api, compat_routes(api), api_keys, fill)
    assert not failures, "\n".join(failures)


# --- Record limits and teams through the PowerDNS-compatible API ------------------------


def _patch(name: str, rtype: str, content: str) -> dict[str, object]:
    rrset = {"name": name, "type": rtype, "ttl": 300, "changetype": "REPLACE"}
    return {"rrsets": [rrset | {"records": [{"content": content, "disabled": False}]}]}


async def test_record_limits_hold_on_the_compatible_api(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    from tests.integration.dnsutil import dns_query

    await register_servers(api.client, pdns_servers, (True, True, True))
    acme, team_zone = unique_zone("acme"), unique_zone("team")
    for zone in (acme, team_zone):
        created = await api.client.post(
            "/api/zones", json={"name": zone, "kind": "Native", "nameservers": ["ns1.example.net."]}
        )
        assert created.status_code == 201, created.text
    # certbot's token: TXT records under _acme-challenge only (the token's own limits).
    limits = {"types": ["TXT"], "names": ["_acme-challenge", "_acme-challenge.*"]}
    token = await api.client.post(
        "/api/tokens", json={"name": "certbot", "zones": [acme], "record_limits": limits}
    )
    key = {"X-API-Key": token.json()["token"], "Authorization": ""}
    url = f"{BASE}/zones/{acme}."
    ok = await api.client.patch(
        url, json=_patch(f"_acme-challenge.{acme}.", "TXT", '"t1"'), headers=key
    )
    assert ok.status_code == 204, ok.text
    for server in pdns_servers:
        assert dns_query(server, f"_acme-challenge.{acme}.", "TXT") == ['"t1"']
    wrong = await api.client.patch(url, json=_patch(f"www.{acme}.", "A", "192.0.2.1"), headers=key)
    assert wrong.status_code == 403 and "certbot" in wrong.json()["error"]
    # One forbidden RRset in a PATCH: nothing of it is applied.
    both = _patch(f"_acme-challenge.{acme}.", "TXT", '"t2"')
    both["rrsets"] += _patch(f"{acme}.", "NS", "ns9.example.net.")["rrsets"]  # type: ignore[operator]
    assert (await api.client.patch(url, json=both, headers=key)).status_code == 403
    assert dns_query(pdns_servers[0], f"_acme-challenge.{acme}.", "TXT") == ['"t1"']
    assert (await api.client.delete(url, headers=key)).status_code == 403

    # A manager reaching a zone through a team that may not touch NS and SOA.
    manager = await make_user(api, "teamed@example.com", "manager")
    team = await api.client.post(
        "/api/teams",
        json={"name": "ops", "members": [manager], "zones": [team_zone],
              "record_limits": {"deny_types": ["NS", "SOA"]}},
    )  # fmt: skip
    assert team.status_code == 201, team.text
    as_manager = await login_headers(api, "teamed@example.com")
    manager_token = await api.client.post("/api/tokens", json={"name": "ops"}, headers=as_manager)
    key = {"X-API-Key": manager_token.json()["token"], "Authorization": ""}
    url = f"{BASE}/zones/{team_zone}."
    app = await api.client.patch(
        url, json=_patch(f"app.{team_zone}.", "A", "192.0.2.2"), headers=key
    )
    assert app.status_code == 204, app.text
    assert dns_query(pdns_servers[0], f"app.{team_zone}.", "A") == ["192.0.2.2"]
    ns = await api.client.patch(
        url, json=_patch(f"{team_zone}.", "NS", "ns9.example.net."), headers=key
    )
    assert ns.status_code == 403 and "team limits" in ns.json()["error"]
    assert dns_query(pdns_servers[0], f"{team_zone}.", "NS") == ["ns1.example.net."]


async def test_statistics_name_no_zone_a_manager_cannot_see(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    """PowerDNS's ring statistics list the names queried lately and who asked: every
    zone's names, which a manager limited to some zones must not read."""
    from tests.integration.dnsutil import dns_query

    await register_servers(api.client, pdns_servers[:1], (False,))
    mine, hidden = unique_zone("mine"), unique_zone("hidden")
    for zone in (mine, hidden):
        created = await create_zone(api, zone)
        assert created.status_code == 201, created.text
    for _ in range(3):
        dns_query(pdns_servers[0], f"payroll.{hidden}.", "A")
    manager = await make_user(api, "stats@example.com", "manager")
    assert (await api.client.put(f"/api/users/{manager}/zones", json={"zones": [mine]})).is_success
    as_manager = await login_headers(api, "stats@example.com")
    tokens = [
        (await api.client.post("/api/tokens", json={"name": "stats"}, headers=headers)).json()
        for headers in ({}, as_manager)
    ]
    admin_key, manager_key = ({"X-API-Key": t["token"], "Authorization": ""} for t in tokens)

    seen = await api.client.get(f"{BASE}/statistics", headers=admin_key)
    assert seen.status_code == 200 and f"payroll.{hidden}" in seen.text  # the ring has it
    for params in ({}, {"statistic": "queries"}, {"includerings": "true"}):
        answer = await api.client.get(f"{BASE}/statistics", params=params, headers=manager_key)
        assert answer.status_code in (200, 422), answer.text  # 422: rings are not statistics
        assert hidden not in answer.text, params
    counters = await api.client.get(f"{BASE}/statistics", headers=manager_key)
    assert any(item["name"] == "uptime" for item in counters.json())
