"""The permission matrix: every /api route x every kind of caller, against real PowerDNS.

Routes come from the app's own route table, so a new route without a rule in ``RULES``
fails ``test_every_api_route_has_a_rule``. Each caller calls each route with a probe: a
body that is invalid on purpose (so an allowed caller gets a validation error, never a
change) and path parameters that point at nothing (ids 99999, an absent zone) except the
zone of zone routes, which is a zone the manager was granted or one they were not.

Allowed means any answer but 401/403; denied means 403 (401 without credentials).

Rules:
    public      anyone, even without credentials
    user        any logged-in user or token (a read-only token only for reads); the only
                routes without {zone} that a zone-limited token reaches (filtered lists)
    account     any logged-in user or token, but not a zone-limited token
    login       any logged-in user; API tokens cannot use it (token creation)
    admin       admins (a read-only admin token only for reads; zone-limited tokens never)
    creator     admins and editors (zone creation and deletion)
    zone_read   readers of the route's {zone}: admin, editor, reader, a manager granted it
    zone_write  writers of the route's {zone}: admin, editor, a manager granted it
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from fastapi.routing import iter_route_contexts

from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.services.access.permissions import ROLES
from tests.conftest import Api, login_headers, make_user
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query
from tests.integration.syncutil import create_zone

RULES: dict[str, str] = {
    "GET /api/health": "public",
    "GET /api/ready": "public",
    "POST /api/auth/login": "public",
    "GET /api/auth/methods": "public",
    "GET /api/auth/oidc/{provider}/start": "public",
    "GET /api/auth/oidc/{provider}/callback": "public",
    "POST /api/auth/sso/session": "public",
    "GET /api/auth/passkeys": "login",
    "POST /api/auth/passkeys/options": "login",
    "POST /api/auth/passkeys": "login",
    "PUT /api/auth/passkeys/{passkey_id}": "login",
    "DELETE /api/auth/passkeys/{passkey_id}": "login",
    "POST /api/auth/passkeys/login/options": "public",
    "POST /api/auth/passkeys/login": "public",
    "GET /api/auth/me": "user",
    "POST /api/auth/2fa/setup": "login",
    "POST /api/auth/2fa/enable": "login",
    "POST /api/auth/2fa/disable": "login",
    "GET /api/settings/powerdns": "account",
    "POST /api/settings/powerdns": "admin",
    "GET /api/settings/powerdns/health": "account",
    "GET /api/settings/powerdns/{server_id}": "account",
    "PUT /api/settings/powerdns/{server_id}": "admin",
    "DELETE /api/settings/powerdns/{server_id}": "admin",
    "POST /api/settings/powerdns/{server_id}/test": "admin",
    "GET /api/settings/powerdns/{server_id}/onboard/plan": "admin",
    "POST /api/settings/powerdns/{server_id}/onboard": "admin",
    "POST /api/settings/powerdns/{server_id}/retire": "admin",
    "GET /api/jobs": "admin",
    "GET /api/jobs/{job_id}": "admin",
    "POST /api/jobs/{job_id}/cancel": "admin",
    "POST /api/sync/reconcile": "admin",
    "GET /api/servers/stats": "account",
    "GET /api/settings/consistency": "admin",
    "PUT /api/settings/consistency": "admin",
    "GET /api/settings/versions": "admin",
    "PUT /api/settings/versions": "admin",
    "GET /api/settings/records": "account",
    "PUT /api/settings/records": "admin",
    "POST /api/zones/{zone}/clone": "creator",
    "POST /api/zones/{zone}/ptr": "zone_write",
    "GET /api/zones/{zone}/versions/{version_id}/changes": "zone_read",
    "GET /api/servers/powerdns-stats": "account",
    "GET /api/settings/soa": "account",
    "PUT /api/settings/soa": "admin",
    "GET /api/zones/{zone}/soa": "zone_read",
    "PUT /api/zones/{zone}/soa": "zone_write",
    "GET /api/zones/{zone}/settings": "zone_read",
    "GET /api/zones/{zone}/members": "zone_read",
    "PUT /api/zones/{zone}/settings": "creator",
    "POST /api/zones/{zone}/notify": "zone_write",
    "POST /api/zones/{zone}/axfr-retrieve": "zone_write",
    "GET /api/tsigkeys": "creator",
    "POST /api/tsigkeys": "admin",
    "GET /api/tsigkeys/{name}/secret": "secret",
    "PUT /api/tsigkeys/{name}": "admin",
    "DELETE /api/tsigkeys/{name}": "admin",
    "PUT /api/records/{zone}/{name}/{type}/disabled": "zone_write",
    "PUT /api/records/{zone}/{name}/{type}/comments": "zone_write",
    "GET /api/sync/queue": "admin",
    "POST /api/sync/queue/{entry_id}/retry": "admin",
    "DELETE /api/sync/queue/{entry_id}": "admin",
    "POST /api/sync/queue/drain": "admin",
    "POST /api/sync/queue/retry": "admin",
    "POST /api/sync/queue/drop": "admin",
    "GET /api/webhooks/events": "admin",
    "GET /api/webhooks": "admin",
    "POST /api/webhooks": "admin",
    "PUT /api/webhooks/{webhook_id}": "admin",
    "DELETE /api/webhooks/{webhook_id}": "admin",
    "POST /api/webhooks/{webhook_id}/test": "admin",
    "GET /api/webhooks/{webhook_id}/deliveries": "admin",
    "GET /api/sync/servers": "admin",
    "GET /api/sync/status": "admin",
    "GET /api/sync/zones/{zone}/diff": "zone_read",
    "POST /api/sync/zones/{zone}/reconcile": "admin",
    "GET /api/zones": "user",
    "POST /api/zones": "creator",
    "GET /api/zones/{zone}": "zone_read",
    "DELETE /api/zones/{zone}": "creator",
    "GET /api/records/{zone}": "zone_read",
    "POST /api/records/{zone}": "zone_write",
    "PUT /api/records/{zone}/{name}/{type}": "zone_write",
    "DELETE /api/records/{zone}/{name}/{type}": "zone_write",
    "GET /api/zones/{zone}/dnssec": "zone_read",
    "POST /api/zones/{zone}/dnssec": "creator",
    "DELETE /api/zones/{zone}/dnssec": "creator",
    "GET /api/templates": "account",
    "POST /api/templates": "creator",
    "POST /api/templates/from-zone/{zone}": "creator",
    "GET /api/templates/{template_id}": "account",
    "PUT /api/templates/{template_id}": "creator",
    "DELETE /api/templates/{template_id}": "creator",
    "GET /api/search": "user",
    "GET /api/audit": "user",
    "POST /api/tokens": "login",
    "GET /api/tokens": "account",
    "DELETE /api/tokens/{token_id}": "account",
    "POST /api/dns-update/keys": "login",
    "GET /api/dns-update/keys": "account",
    "DELETE /api/dns-update/keys/{key_id}": "account",
    "GET /api/users": "admin",
    "POST /api/users": "admin",
    "GET /api/users/me": "account",
    "GET /api/users/me/sign-ins": "account",
    "GET /api/teams": "admin",
    "POST /api/teams": "admin",
    "PUT /api/teams/{team_id}": "admin",
    "DELETE /api/teams/{team_id}": "admin",
    "POST /api/users/me/password": "login",
    "GET /api/users/{user_id}": "admin",
    "PUT /api/users/{user_id}": "admin",
    "DELETE /api/users/{user_id}": "admin",
    "PUT /api/users/{user_id}/zones": "admin",
    "GET /api/zones/{zone}/versions": "zone_read",
    "GET /api/zones/{zone}/versions/compare": "zone_read",
    "GET /api/zones/{zone}/versions/{version_id}": "zone_read",
    "GET /api/zones/{zone}/versions/{version_id}/export": "zone_read",
    "POST /api/zones/{zone}/versions/{version_id}/rollback": "zone_write",
    "GET /api/zones/{zone}/export": "zone_read",
    "POST /api/zones/{zone}/import": "zone_write",
    "POST /api/zones/{zone}/import/axfr": "zone_write",
    "GET /api/backup": "admin",
    "POST /api/records/{zone}/bulk": "zone_write",
    "POST /api/records/{zone}/bulk/delete": "zone_write",
}
SAFE = {"GET", "HEAD", "OPTIONS"}
# Caller kinds: the four roles, an admin's read-only token and an admin's token limited
# to the granted zone, and no credentials at all.
CALLERS = (*ROLES, "read_only_token", "zone_token", "anonymous")


@dataclass(frozen=True)
class Probe:
    method: str
    path: str
    rule: str
    has_body: bool


def api_routes(api: Api) -> list[Probe]:
    """Every (method, path) under /api in the app's route table, included routers too.

    A sub-application mounted under /api appears as method "MOUNT"; it needs a rule too
    (and its own tests: the probes here only call HTTP routes). The PowerDNS-compatible
    API under /api/v1 authenticates with X-API-Key: its matrix is in test_compat_permissions.
    """
    probes = []
    for route in iter_route_contexts(api.app.routes):
        path = route.path or ""
        if not path.startswith("/api") or is_compat_path(path):
            continue
        has_body = getattr(route, "body_field", None) is not None
        for method in sorted(route.methods or {"MOUNT"}):
            probes.append(Probe(method, path, RULES.get(f"{method} {path}", ""), has_body))
    return probes


def is_compat_path(path: str) -> bool:
    """The PowerDNS-compatible API: ``/api/v1/...`` and its version discovery (``/api``,
    ``/api/v1``)."""
    return path in ("/api", "/api/v1") or path.startswith("/api/v1/")


def allowed(rule: str, caller: str, method: str, granted: bool) -> bool:
    """The expected decision for one cell of the matrix."""
    if rule == "public":
        return True
    if caller == "anonymous":
        return False
    if caller == "read_only_token" and method not in SAFE:
        return False
    role = {"read_only_token": "admin", "zone_token": "admin"}.get(caller, caller)
    if rule == "user":
        return True
    if rule == "account":
        return caller != "zone_token"
    if rule == "login":
        return caller in ROLES
    if rule == "admin":
        return role == "admin" and caller != "zone_token"
    if rule == "secret":  # key material: an admin's, not through a read-only token
        return role == "admin" and caller not in ("zone_token", "read_only_token")
    if rule == "creator":
        return role in ("admin", "editor") and caller != "zone_token"
    zone_ok = granted or caller not in ("manager", "zone_token")
    if rule == "zone_read":
        return zone_ok
    if rule == "zone_write":
        return zone_ok and role != "reader"
    raise AssertionError(f"unknown rule {rule!r}")


def fill(path: str, zone: str) -> str:
    values = {"zone": zone, "name": "probe", "type": "A"}
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "99999"), path)


async def test_every_api_route_has_a_rule(api: Api) -> None:
    missing = [f"{p.method} {p.path}" for p in api_routes(api) if not p.rule]
    assert not missing, f"routes without a permission rule in RULES: {missing}"
    stale = set(RULES) - {f"{p.method} {p.path}" for p in api_routes(api)}
    assert not stale, f"rules for routes that do not exist: {stale}"


@pytest.fixture
async def callers(api: Api, pdns_servers: list[LocalPowerDNS]) -> dict[str, object]:
    """Headers for each caller kind, and the granted and ungranted zones."""
    await register_servers(api.client, pdns_servers[:1], (False,))
    granted, other = unique_zone("grant"), unique_zone("nogrant")
    for zone in (granted, other):
        created = await create_zone(api, zone)
        assert created.status_code == 201, created.text
    headers: dict[str, dict[str, str]] = {
        "admin": {"Authorization": api.client.headers["Authorization"]},
        "anonymous": {},
    }
    for role in ("editor", "manager", "reader"):
        user_id = await make_user(api, f"{role}@example.com", role)
        if role == "manager":
            grant = await api.client.put(f"/api/users/{user_id}/zones", json={"zones": [granted]})
            assert grant.status_code == 200, grant.text
        headers[role] = await login_headers(api, f"{role}@example.com")
    for caller, body in (
        ("read_only_token", {"read_only": True}),
        ("zone_token", {"zones": [granted]}),
    ):
        token = await api.client.post("/api/tokens", json={"name": caller, **body})
        headers[caller] = {"Authorization": f"Bearer {token.json()['token']}"}
    return {"headers": headers, "granted": granted, "other": other}


async def matrix_failures(
    api: Api,
    probes: list[Probe],
    callers: dict[str, object],
    fill_path: Callable[[str, str], str],
) -> list[str]:
    """Call every probe as every caller (on a granted and an ungranted zone for zone rules)
    and describe each answer that differs from ``allowed``: 401 for anonymous callers,
    403 for the others when denied, anything but 401/403 when allowed."""
    headers: dict[str, dict[str, str]] = callers["headers"]  # type: ignore[assignment]
    absent = unique_zone("absent")
    failures = []
    for probe in probes:
        zone_rule = probe.rule in ("zone_read", "zone_write")
        zones = [(callers["granted"], True), (callers["other"], False)] if zone_rule else [
            (absent, False)
        ]  # fmt: skip
        for caller in CALLERS:
            for zone, granted in zones:
                expected = allowed(probe.rule, caller, probe.method, granted)
                # Each call as from a browser of its own: no cookie of an earlier call (a
                # refused sign-on's, say) answers for this one.
                api.client.cookies.clear()
                response = await api.client.request(
                    probe.method,
                    fill_path(probe.path, str(zone)),
                    headers={"Authorization": "", **headers[caller]},
                    json=[] if probe.has_body else None,
                )
                got = response.status_code
                ok = got not in (401, 403) if expected else got == (
                    401 if caller == "anonymous" else 403
                )  # fmt: skip
                if not ok:
                    where = f"{probe.method} {probe.path} as {caller} on {zone}"
                    failures.append(f"{where}: expected {'allowed' if expected else 'denied'}, "
                                    f"got {got} {response.text[:120]}")  # fmt: skip
    return failures


async def test_permission_matrix(api: Api, callers: dict[str, object]) -> None:
    probes = [probe for probe in api_routes(api) if probe.method != "MOUNT"]
    failures = await matrix_failures(api, probes, callers, fill)
    assert not failures, "\n".join(failures)


async def test_lists_show_only_reachable_zones(api: Api, callers: dict[str, object]) -> None:
    headers: dict[str, dict[str, str]] = callers["headers"]  # type: ignore[assignment]
    granted, other = callers["granted"], callers["other"]
    for caller, expected in (
        ("manager", [granted]),
        ("zone_token", [granted]),
        ("reader", [granted, other]),
        ("editor", [granted, other]),
    ):
        listed = await api.client.get(
            "/api/zones", params={"search": "grant", "per_page": 1000}, headers=headers[caller]
        )
        names = {z["name"] for z in listed.json()["items"]}
        assert names & {granted, other} == set(expected), caller


# --- Record limits and teams (services/access/record_limits.py, services/access/teams.py) ---

ACME = {"types": ["TXT"], "names": ["_acme-challenge", "_acme-challenge.*"]}
NO_DELEGATION = {"deny_types": ["NS", "SOA"]}


async def _zone(api: Api, name: str) -> None:
    created = await api.client.post(
        "/api/zones", json={"name": name, "kind": "Native", "nameservers": ["ns1.example.net."]}
    )
    assert created.status_code == 201, created.text


def _record(name: str, rtype: str, content: str) -> dict[str, object]:
    return {"name": name, "type": rtype, "content": content, "ttl": 300}


async def test_a_certificates_user_writes_only_acme_challenge_txt_records(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, True))
    zone = unique_zone("acme")
    await _zone(api, zone)
    certbot = await make_user(api, "certbot@example.com", "manager")
    assert (await api.client.put(f"/api/users/{certbot}/zones", json={"zones": [zone]})).is_success
    limited = await api.client.put(f"/api/users/{certbot}", json={"record_limits": ACME})
    assert limited.status_code == 200 and limited.json()["record_limits"]["types"] == ["TXT"]
    as_certbot = await login_headers(api, "certbot@example.com")

    challenge = _record("_acme-challenge", "TXT", "token-1")
    added = await api.client.post(f"/api/records/{zone}", json=challenge, headers=as_certbot)
    assert added.status_code == 201, added.text
    for server in pdns_servers:
        assert dns_query(server, f"_acme-challenge.{zone}.", "TXT") == ['"token-1"']
    sub = _record("_acme-challenge.www", "TXT", "token-2")
    assert (await api.client.post(f"/api/records/{zone}", json=sub, headers=as_certbot)).is_success
    for server in pdns_servers:
        assert dns_query(server, f"_acme-challenge.www.{zone}.", "TXT") == ['"token-2"']
    for name, rtype, content in (
        ("www", "A", "192.0.2.1"),
        ("www", "TXT", "x"),
        ("@", "NS", "ns9.example.net."),
    ):
        refused = await api.client.post(
            f"/api/records/{zone}", json=_record(name, rtype, content), headers=as_certbot
        )
        assert refused.status_code == 403, refused.text
        assert "certbot@example.com's limits" in refused.json()["detail"]
    for server in pdns_servers:
        assert dns_query(server, f"www.{zone}.", "A") == []
        assert dns_query(server, f"www.{zone}.", "TXT") == []
        assert dns_query(server, f"{zone}.", "NS") == ["ns1.example.net."]
    # Deleting the challenge is a write of the same RRset: allowed; the apex NS is not.
    gone = await api.client.delete(
        f"/api/records/{zone}/_acme-challenge.{zone}/TXT", headers=as_certbot
    )
    assert gone.status_code == 200, gone.text
    ns = await api.client.delete(f"/api/records/{zone}/{zone}/NS", headers=as_certbot)
    assert ns.status_code == 403
    for server in pdns_servers:
        assert dns_query(server, f"_acme-challenge.{zone}.", "TXT") == []
        assert dns_query(server, f"{zone}.", "NS") == ["ns1.example.net."]
    # A bulk change with one forbidden row changes nothing.
    operations = [
        {"op": "add", "name": "_acme-challenge", "type": "TXT", "content": "ok", "ttl": 300},
        {"op": "add", "name": "mail", "type": "A", "content": "192.0.2.9", "ttl": 300},
    ]
    bulk = await api.client.post(
        f"/api/records/{zone}/bulk", json={"operations": operations}, headers=as_certbot
    )
    assert bulk.status_code == 403, bulk.text
    for server in pdns_servers:
        assert dns_query(server, f"_acme-challenge.{zone}.", "TXT") == []
        assert dns_query(server, f"mail.{zone}.", "A") == []


async def test_an_api_token_carries_limits_of_its_own(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers[:1], (False,))
    zone = unique_zone("tok")
    await _zone(api, zone)
    created = await api.client.post(
        "/api/tokens", json={"name": "no-delegation", "record_limits": NO_DELEGATION}
    )
    assert created.status_code == 201 and created.json()["record_limits"]["deny_types"] == [
        "NS",
        "SOA",
    ]
    as_token = {"Authorization": f"Bearer {created.json()['token']}"}
    ok = await api.client.post(
        f"/api/records/{zone}", json=_record("app", "A", "192.0.2.5"), headers=as_token
    )
    assert ok.status_code == 201, ok.text
    assert dns_query(pdns_servers[0], f"app.{zone}.", "A") == ["192.0.2.5"]
    ns = await api.client.post(
        f"/api/records/{zone}", json=_record("@", "NS", "ns2.example.net."), headers=as_token
    )
    assert ns.status_code == 403 and "API token 'no-delegation'" in ns.json()["detail"]
    assert dns_query(pdns_servers[0], f"{zone}.", "NS") == ["ns1.example.net."]
    # A limited token cannot delete the zone, even an admin's.
    assert (await api.client.delete(f"/api/zones/{zone}", headers=as_token)).status_code == 403
    assert dns_query(pdns_servers[0], f"{zone}.", "SOA") != []


async def test_team_zones_and_limits_follow_people_between_teams(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers[:1], (False,))
    web, mail = unique_zone("web"), unique_zone("mail")
    for zone in (web, mail):
        await _zone(api, zone)
    dana = await make_user(api, "dana@example.com", "manager")
    web_team = await api.client.post(
        "/api/teams",
        json={"name": "web", "members": [dana], "zones": [web], "record_limits": NO_DELEGATION},
    )
    assert web_team.status_code == 201, web_team.text
    mail_team = await api.client.post("/api/teams", json={"name": "mail", "zones": [mail]})
    assert mail_team.status_code == 201, mail_team.text
    missing = await api.client.post("/api/teams", json={"name": "x", "zones": [unique_zone()]})
    assert missing.status_code == 422
    as_dana = await login_headers(api, "dana@example.com")
    zones = (await api.client.get("/api/zones", headers=as_dana)).json()["items"]
    assert [z["name"] for z in zones] == [web]
    app = _record("app", "A", "192.0.2.8")
    assert (
        await api.client.post(f"/api/records/{web}", json=app, headers=as_dana)
    ).status_code == 201
    assert dns_query(pdns_servers[0], f"app.{web}.", "A") == ["192.0.2.8"]
    ns = _record("@", "NS", "ns3.example.net.")
    refused = await api.client.post(f"/api/records/{web}", json=ns, headers=as_dana)
    assert refused.status_code == 403 and "team limits" in refused.json()["detail"]
    assert (
        await api.client.post(f"/api/records/{mail}", json=app, headers=as_dana)
    ).status_code == 403
    assert dns_query(pdns_servers[0], f"{web}.", "NS") == ["ns1.example.net."]
    assert dns_query(pdns_servers[0], f"app.{mail}.", "A") == []
    # The zone granted to dana personally as well: the team's limits no longer apply there.
    own = await api.client.put(f"/api/users/{dana}/zones", json={"zones": [web]})
    assert own.is_success, own.text
    own_ns = await api.client.post(f"/api/records/{web}", json=ns, headers=as_dana)
    assert own_ns.status_code == 201, own_ns.text
    assert "ns3.example.net." in dns_query(pdns_servers[0], f"{web}.", "NS")
    assert (await api.client.put(f"/api/users/{dana}/zones", json={"zones": []})).is_success
    again = await api.client.post(f"/api/records/{web}", json=ns, headers=as_dana)
    assert again.status_code == 403 and "team limits" in again.json()["detail"]

    # dana moves from web to mail: access follows at once.
    team_id = web_team.json()["id"]
    moved = await api.client.put(
        f"/api/teams/{team_id}",
        json={"name": "web", "zones": [web], "record_limits": NO_DELEGATION},
    )
    assert moved.status_code == 200 and moved.json()["members"] == []
    mail_id = mail_team.json()["id"]
    joined = await api.client.put(
        f"/api/teams/{mail_id}", json={"name": "mail", "members": [dana], "zones": [mail]}
    )
    assert joined.json()["members"] == ["dana@example.com"]
    for record in (app, _record("other", "A", "192.0.2.8")):
        assert (
            await api.client.post(f"/api/records/{web}", json=record, headers=as_dana)
        ).status_code == 403
    assert dns_query(pdns_servers[0], f"other.{web}.", "A") == []
    # The mail team has no limits: NS is fine there.
    added = await api.client.post(f"/api/records/{mail}", json=ns, headers=as_dana)
    assert added.status_code == 201, added.text
    assert dns_query(pdns_servers[0], f"{mail}.", "NS") == ["ns1.example.net.", "ns3.example.net."]
    me = (await api.client.get("/api/users/me", headers=as_dana)).json()
    assert me["teams"] == ["mail"]
    # Deleting the zone drops it from the team.
    assert (await api.client.delete(f"/api/zones/{mail}")).status_code == 200
    teams = {t["name"]: t for t in (await api.client.get("/api/teams")).json()}
    assert teams["mail"]["zones"] == []
