"""TSIG key changes, NOTIFY and zone retrieval, and name reads of disabled records: DNSMate's
PowerDNS-compatible API against a plain PowerDNS, request by request.

DNSMate sits in front of three PowerDNS servers: a changed key must be changed on all
three, and every write must be in DNSMate's audit log.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import AsyncIterator

import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import Api, ApiFactory
from tests.integration.compatdiff import BASE, Pair, assert_same, body, make_pair
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.syncutil import recover, sync_api
from tests.integration.test_zone_settings import direct

KEYS = f"{BASE}/tsigkeys"


@pytest.fixture
async def pair(
    api: Api, pdns_servers: list[LocalPowerDNS], reference_pdns: LocalPowerDNS
) -> AsyncIterator[Pair]:
    await register_servers(api.client, pdns_servers, (True, True, True))
    pair = await make_pair(api, reference_pdns)
    yield pair
    await pair.aclose()


def _secret() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def _held(servers: list[LocalPowerDNS], name: str) -> list[tuple[int, str, str]]:
    """(status, algorithm, secret) of the key ``name`` on each server."""
    held = []
    for server in servers:
        with direct(server) as client:
            found = client.get(f"/tsigkeys/{name}.")
        key = found.json() if found.status_code == 200 else {}
        held.append((found.status_code, key.get("algorithm", ""), key.get("key", "")))
    return held


async def test_tsigkey_put_changes_the_key_on_every_server_as_powerdns_does(
    pair: Pair, api: Api, pdns_servers: list[LocalPowerDNS], reference_pdns: LocalPowerDNS
) -> None:
    reference = reference_pdns
    name, renamed = f"k-{secrets.token_hex(4)}", f"r-{secrets.token_hex(4)}"
    secret, other = _secret(), _secret()
    made = {"name": name, "algorithm": "hmac-sha256", "key": secret}
    ref, mate = await pair.both("POST", KEYS, json=made)
    assert_same(ref, mate)

    for change, key in (
        ({"key": other}, other),
        ({}, other),
        ({"name": 5, "algorithm": 5, "key": 5}, other),  # not strings: ignored
        ([1], other),  # not an object: nothing to change
    ):
        ref, mate = await pair.both("PUT", f"{KEYS}/{name}.", json=change)
        assert_same(ref, mate)
        assert mate.status_code == 200 and body(mate)["id"] == body(ref)["id"] == f"{name}."
        assert body(mate)["key"] == key
        assert _held(pdns_servers, name) == [(200, "hmac-sha256", key)] * 3

    ref, mate = await pair.both("PUT", f"{KEYS}/{name}.", json={"name": renamed})
    assert_same(ref, mate)
    assert body(mate)["id"] == body(ref)["id"] == f"{renamed}."
    assert _held(pdns_servers, renamed) == [(200, "hmac-sha256", other)] * 3
    assert [status for status, _a, _k in _held(pdns_servers, name)] == [404] * 3
    for method in ("GET", "PUT"):  # the old name is gone, with PowerDNS's message
        ref, mate = await pair.both(method, f"{KEYS}/{name}.", json={})
        assert_same(ref, mate)
        assert mate.status_code == 404
    ref, mate = await pair.both("GET", f"{KEYS}/{renamed}.")
    assert_same(ref, mate)

    # PowerDNS 4.7 answers a new algorithm alone with it but keeps the old one; DNSMate
    # answers the same and changes it on every server.
    ref, mate = await pair.both("PUT", f"{KEYS}/{renamed}.", json={"algorithm": "hmac-sha512"})
    assert_same(ref, mate)
    assert body(mate)["algorithm"] == "hmac-sha512"
    assert _held(pdns_servers, renamed) == [(200, "hmac-sha512", other)] * 3
    assert _held([reference], renamed) == [(200, "hmac-sha256", other)]

    for bad in ({"algorithm": "hmac-foo"}, {"key": "not base64!"}):
        ref, mate = await pair.both("PUT", f"{KEYS}/{renamed}.", json=bad)
        assert_same(ref, mate)
        assert mate.status_code == 422
    ref, mate = await pair.both("PUT", f"{KEYS}/{renamed}.", content=b"nonsense")
    assert_same(ref, mate)
    assert mate.status_code == 400
    assert _held(pdns_servers, renamed) == [(200, "hmac-sha512", other)] * 3

    events = (await api.client.get("/api/audit", params={"action": "tsigkey.update"})).json()
    targets = [e["target"] for e in events["items"]]
    assert f"TSIG key {name} (renamed {renamed})" in targets
    assert f"TSIG key {renamed}" in targets
    assert secret not in str(events) and other not in str(events)


async def test_tsigkey_put_refuses_what_powerdns_gets_wrong(
    pair: Pair, pdns_servers: list[LocalPowerDNS]
) -> None:
    """Deliberate differences: PowerDNS renames a key onto another key's name (and then
    holds two keys of one name) and takes names that are no DNS names."""
    first, second = f"a-{secrets.token_hex(4)}", f"b-{secrets.token_hex(4)}"
    for name in (first, second):
        made = await pair.dnsmate.post(KEYS, json={"name": name, "algorithm": "hmac-sha256"})
        assert made.status_code == 201, made.text
    clash = await pair.dnsmate.put(f"{KEYS}/{first}.", json={"name": second})
    assert clash.status_code == 409, clash.text
    for bad in ("", "bad name!"):
        refused = await pair.dnsmate.put(f"{KEYS}/{first}.", json={"name": bad})
        assert refused.status_code == 422, refused.text
    assert [s for s, _a, _k in _held(pdns_servers, first)] == [200] * 3
    assert len({k for _s, _a, k in _held(pdns_servers, second)}) == 1


@pytest.mark.parametrize("key_id", ["missing-key.", "bad name!", "a..b", "x" * 300])
async def test_a_key_that_cannot_exist_is_refused_as_powerdns_refuses_it(
    pair: Pair, key_id: str
) -> None:
    """Missing, or a name no key can have (404), or no DNS name at all (422)."""
    for method in ("GET", "PUT", "DELETE"):
        kwargs = {"json": {"algorithm": "hmac-sha256"}} if method == "PUT" else {}
        ref, mate = await pair.both(method, f"{KEYS}/{key_id}", **kwargs)
        assert_same(ref, mate)


async def test_notify_and_axfr_retrieve_go_through_the_write_pipeline(pair: Pair, api: Api) -> None:
    """As PowerDNS answers them, and each in DNSMate's audit log (before, the compat routes
    called PowerDNS directly and left no trace)."""
    native, secondary = unique_zone("ntf") + ".", unique_zone("sec") + "."
    made = {"name": native, "kind": "Native", "nameservers": [f"ns1.{native}"]}
    ref, mate = await pair.both("POST", f"{BASE}/zones", json=made)
    assert (ref.status_code, mate.status_code) == (201, 201), (ref.text, mate.text)
    made = {"name": secondary, "kind": "Slave", "nameservers": [], "masters": ["127.0.0.1:1"]}
    ref, mate = await pair.both("POST", f"{BASE}/zones", json=made)
    assert (ref.status_code, mate.status_code) == (201, 201), (ref.text, mate.text)

    for zone, action, status in (
        (native, "notify", 200),
        (native, "axfr-retrieve", 422),  # not a secondary: PowerDNS's message
        (secondary, "axfr-retrieve", 200),  # "Added retrieval request ... from master ..."
        (secondary, "notify", 200),
        (unique_zone("none") + ".", "notify", 404),
        (unique_zone("none") + ".", "axfr-retrieve", 404),
    ):
        ref, mate = await pair.both("PUT", f"{BASE}/zones/{zone}/{action}")
        assert_same(ref, mate)
        assert mate.status_code == status, mate.text

    for zone, expected in (
        (native, {("zone.notify", "success"), ("zone.retrieve", "failed")}),
        (secondary, {("zone.notify", "success"), ("zone.retrieve", "success")}),
    ):
        found = (await api.client.get("/api/audit", params={"zone": zone})).json()["items"]
        done = [e for e in found if e["action"] in {"zone.notify", "zone.retrieve"}]
        assert {(e["action"], e["outcome"]) for e in done} == expected, done
        assert all(e["via"] == "token:differential" for e in done), done
        assert all(len(e["servers"]) == 3 for e in done), done


async def test_name_reads_show_disabled_records_as_powerdns_does(pair: Pair) -> None:
    """PowerDNS 4.7 lists disabled records in a whole-zone GET and in search-data, and
    leaves them out of a GET filtered by ``rrset_name`` and out of the export."""
    zone = unique_zone("dis") + "."
    rrsets = [
        {"name": f"www.{zone}", "type": "A", "ttl": 300, "changetype": "REPLACE",
         "records": [{"content": "192.0.2.1", "disabled": False},
                     {"content": "192.0.2.2", "disabled": True}]},
        {"name": f"www.{zone}", "type": "TXT", "ttl": 300, "changetype": "REPLACE",
         "records": [{"content": '"off"', "disabled": True}]},
        {"name": f"mail.{zone}", "type": "A", "ttl": 300, "changetype": "REPLACE",
         "records": [{"content": "192.0.2.9", "disabled": True}]},
    ]  # fmt: skip
    made = {"name": zone, "kind": "Native", "nameservers": [f"ns1.{zone}"]}
    ref, mate = await pair.both("POST", f"{BASE}/zones", json=made)
    assert (ref.status_code, mate.status_code) == (201, 201), (ref.text, mate.text)
    ref, mate = await pair.both("PATCH", f"{BASE}/zones/{zone}", json={"rrsets": rrsets})
    assert_same(ref, mate)

    label = zone.split(".")[0]
    for path, params in (
        (f"{BASE}/zones/{zone}", {}),
        (f"{BASE}/zones/{zone}", {"rrset_name": f"www.{zone}"}),
        (f"{BASE}/zones/{zone}", {"rrset_name": f"www.{zone}", "rrset_type": "A"}),
        (f"{BASE}/zones/{zone}", {"rrset_name": f"www.{zone}", "rrset_type": "TXT"}),
        (f"{BASE}/zones/{zone}", {"rrset_name": f"mail.{zone}"}),
        (f"{BASE}/search-data", {"q": f"*{label}*", "max": "50"}),
    ):
        ref, mate = await pair.both("GET", path, params=params)
        assert_same(ref, mate)
        if "rrset_name" in params:
            assert '"disabled":true' not in mate.text.replace(" ", ""), mate.text

    # The export: alike but for the SOA's primary (DNSMate's SOA defaults, see compatdiff).
    ref, mate = await pair.both("GET", f"{BASE}/zones/{zone}/export")
    assert (ref.status_code, mate.status_code) == (200, 200)
    lines = [
        sorted(line for line in body(r)["zone"].splitlines() if "\tSOA\t" not in line)
        for r in (ref, mate)
    ]
    assert lines[0] == lines[1] and not any("192.0.2.2" in line for line in lines[1])


async def test_tsigkey_put_for_a_server_that_is_down_is_queued_and_replayed(
    api_factory: ApiFactory,
    sqlite_url: str,
    pdns: list[LocalPowerDNS],
    reference_pdns: LocalPowerDNS,
) -> None:
    """A rename (or new algorithm) is replayed from the queue when the server is back: the
    queue keeps no secret, and needs none for it. A new secret cannot be replayed: that
    entry is parked, with what to do."""
    api = await sync_api(api_factory, sqlite_url)
    await register_servers(api.client, pdns, (True, True, True))
    pair = await make_pair(api, reference_pdns)
    name, renamed, secret = f"q-{secrets.token_hex(4)}", f"p-{secrets.token_hex(4)}", _secret()
    made = await pair.dnsmate.post(KEYS, json={"name": name, "algorithm": "hmac-sha256",
                                               "key": secret})  # fmt: skip
    assert made.status_code == 201, made.text
    pdns[2].stop()
    try:
        changed = await pair.dnsmate.put(
            f"{KEYS}/{name}.", json={"name": renamed, "algorithm": "hmac-sha512"}
        )
        assert changed.status_code == 200, changed.text
        assert _held(pdns[:2], renamed) == [(200, "hmac-sha512", secret)] * 2
        again = await pair.dnsmate.put(f"{KEYS}/{renamed}.", json={"key": _secret()})
        assert again.status_code == 200, again.text
    finally:
        pdns[2].start()
    report = await recover(api)
    assert (report.replayed, report.parked) == (1, 1), report
    assert _held(pdns[2:], renamed) == [(200, "hmac-sha512", secret)]
    assert [status for status, _a, _k in _held(pdns[2:], name)] == [404]
    (parked,) = (await api.client.get("/api/sync/queue")).json()["items"]
    assert parked["status"] == "parked" and "is not stored" in parked["last_error"]
    assert parked["change"]["secret_changed"] is True and "secret" not in parked["change"]
    await pair.aclose()
