"""DynDNS2 (/nic/update) on three PowerDNS servers: every answer of the protocol, checked
by DNS queries to each server and in the audit log."""

from __future__ import annotations

import base64

import httpx

from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.services.zonedata.enclosing import MAX_ZONE_READS
from tests.conftest import ADMIN_EMAIL, Api, ApiFactory
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query
from tests.integration.syncutil import create_zone, recover, sync_api
from tests.integration.test_audit import events


async def dyndns_token(api: Api, hosts: list[str] | None, **extra: object) -> str:
    body: dict[str, object] = {"name": f"router {hosts}", **extra}
    if hosts is not None:
        body["hosts"] = hosts
    response = await api.client.post("/api/tokens", json=body)
    assert response.status_code == 201, response.text
    token: str = response.json()["token"]
    return token


async def nic_update(api: Api, token: str | None, **params: str) -> httpx.Response:
    auth = httpx.BasicAuth("user", token) if token is not None else None
    return await api.client.get(
        "/nic/update", params=params, auth=auth, headers={"Authorization": ""} if not auth else {}
    )


async def test_dyndns2_answers_and_fans_out(
    api_factory: ApiFactory, database_url: str, pdns: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, database_url)
    await register_servers(api.client, pdns, (True, True, True))
    zone = unique_zone("dyn")
    assert (await create_zone(api, zone)).status_code == 201
    home, office = f"home.{zone}", f"office.{zone}"
    token = await dyndns_token(api, [home])

    first = await nic_update(api, token, hostname=home, myip="198.51.100.7")
    assert (first.status_code, first.text) == (200, "good 198.51.100.7")
    assert [dns_query(s, f"{home}.", "A") for s in pdns] == [["198.51.100.7"]] * 3
    same = await nic_update(api, token, hostname=home, myip="198.51.100.7")
    assert same.text == "nochg 198.51.100.7"
    both = await nic_update(api, token, hostname=home, myip="198.51.100.8,2001:db8::8")
    assert both.text == "good 198.51.100.8,2001:db8::8"
    assert [dns_query(s, f"{home}.", "A") for s in pdns] == [["198.51.100.8"]] * 3
    assert [dns_query(s, f"{home}.", "AAAA") for s in pdns] == [["2001:db8::8"]] * 3
    v6 = await nic_update(api, token, hostname=home, myipv6="2001:db8::9")
    assert v6.text == "good 2001:db8::9"
    assert [dns_query(s, f"{home}.", "A") for s in pdns] == [["198.51.100.8"]] * 3
    assert [dns_query(s, f"{home}.", "AAAA") for s in pdns] == [["2001:db8::9"]] * 3

    # Names the token may not change, names that are not names, several hosts at once.
    several = await nic_update(
        api, token, hostname=f"{home},{office},nodots,elsewhere.invalid", myip="198.51.100.8"
    )
    assert several.text.split("\n") == ["nochg 198.51.100.8", "nohost", "notfqdn", "nohost"]
    assert [dns_query(s, f"{office}.", "A") for s in pdns] == [[]] * 3
    for bad in (None, "dnsmate_not-a-token"):
        refused = await nic_update(api, bad, hostname=home, myip="198.51.100.9")
        assert (refused.status_code, refused.text) == (401, "badauth")
    # A DynDNS token is good for nothing else.
    other = await api.client.get("/api/zones", headers={"Authorization": f"Bearer {token}"})
    assert other.status_code == 403
    # A token without host limits changes any host its user may write.
    wide = await dyndns_token(api, None)
    office_set = await nic_update(api, wide, hostname=office, myip="203.0.113.5")
    assert office_set.text == "good 203.0.113.5"
    assert [dns_query(s, f"{office}.", "A") for s in pdns] == [["203.0.113.5"]] * 3

    # A server that is down gets the change queued; the client is told "good".
    pdns[2].stop()
    down = await nic_update(api, token, hostname=home, myip="198.51.100.10")
    assert down.text == "good 198.51.100.10"
    assert [dns_query(s, f"{home}.", "A") for s in pdns[:2]] == [["198.51.100.10"]] * 2
    pdns[2].start()
    assert (await recover(api)).replayed == 1
    assert dns_query(pdns[2], f"{home}.", "A") == ["198.51.100.10"]

    log = await events(api.client, zone=zone, action="record.dyndns")
    assert len(log) == 5
    assert {e["user_email"] for e in log} == {ADMIN_EMAIL}
    assert log[-1]["via"] == f"dyndns:router ['{home}']"
    assert log[-1]["target"] == f"{home} A"
    assert [s["outcome"] for s in log[0]["servers"]] == [
        "success",
        "success",
        "delivered",
    ]  # replayed since


async def test_dyndns2_abuse_and_permissions(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    await register_servers(api.client, pdns, (True, True, True))
    zone = unique_zone("abuse")
    assert (await create_zone(api, zone)).status_code == 201
    host = f"loop.{zone}"
    token = await dyndns_token(api, [host])
    answers = [
        (await nic_update(api, token, hostname=host, myip="192.0.2.50")).text for _ in range(31)
    ]
    assert answers[0] == "good 192.0.2.50"
    assert set(answers[1:30]) == {"nochg 192.0.2.50"}
    assert answers[30] == "abuse"
    assert [dns_query(s, f"{host}.", "A") for s in pdns] == [["192.0.2.50"]] * 3

    # A zone-limited token that does not reach the host's zone: nohost.
    other = unique_zone("other")
    assert (await create_zone(api, other)).status_code == 201
    narrow = await dyndns_token(api, [f"pc.{zone}"], zones=[other])
    assert (await nic_update(api, narrow, hostname=f"pc.{zone}", myip="192.0.2.1")).text == (
        "nohost"
    )
    assert [dns_query(s, f"pc.{zone}.", "A") for s in pdns] == [[]] * 3
    # The zone is looked for at most MAX_ZONE_READS names up from the host (the host first).
    wide = await dyndns_token(api, None)
    deep = ".".join(["d"] * (MAX_ZONE_READS - 1)) + f".{zone}"
    assert (await nic_update(api, wide, hostname=deep, myip="192.0.2.2")).text == "good 192.0.2.2"
    assert dns_query(pdns[0], f"{deep}.", "A") == ["192.0.2.2"]
    assert (await nic_update(api, wide, hostname=f"e.{deep}", myip="192.0.2.2")).text == "nohost"
    bad = await api.client.post(
        "/api/tokens", json={"name": "x", "hosts": ["nodots"], "read_only": False}
    )
    assert bad.status_code == 422


async def test_myip_that_is_not_one_plain_address_per_family_is_refused_before_any_server(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    await register_servers(api.client, pdns, (True, True, True))
    zone = unique_zone("myip")
    assert (await create_zone(api, zone)).status_code == 201
    host = f"pc.{zone}"
    token = await dyndns_token(api, [host])
    for myip in (
        "fe80::1%eth0",  # an IPv6 scope: not DNS data
        "fe80::1%a\nb",
        "192.0.2.1,192.0.2.2",  # two of one family: which one?
        "2001:db8::1,2001:db8::2",
        "192.0.2.1;rm",
    ):
        answer = await nic_update(api, token, hostname=host, myip=myip)
        assert (answer.status_code, answer.text) == (200, "dnserr"), myip
    # Refused before any server was asked: no write was even attempted.
    assert await events(api.client, zone=zone, action="record.dyndns") == []
    same_twice = await nic_update(api, token, hostname=host, myip="192.0.2.1,192.0.2.1")
    assert same_twice.text == "good 192.0.2.1"
    for server in pdns:
        assert dns_query(server, f"{host}.", "A") == ["192.0.2.1"]
        assert dns_query(server, f"{host}.", "AAAA") == []


async def test_malformed_basic_auth_is_answered_badauth(
    api_factory: ApiFactory, sqlite_url: str
) -> None:
    """dyndns2 clients read the answer's text: a header that is not valid basic auth gets
    the protocol's badauth like a wrong token, not a JSON error."""
    api = await sync_api(api_factory, sqlite_url)
    token = await dyndns_token(api, ["home.example.com"])
    for header in (
        "Basic !!!not-base64",
        "Basic " + base64.b64encode(b"no-colon-at-all").decode(),
        "Basic " + base64.b64encode("us\u00e9r:".encode() + token.encode()).decode(),
        "Basic",
    ):
        answer = await api.client.get(
            "/nic/update",
            params={"hostname": "home.example.com", "myip": "192.0.2.1"},
            headers={"Authorization": header},
        )
        assert (answer.status_code, answer.text) == (401, "badauth"), header
        assert answer.headers["www-authenticate"] == 'Basic realm="DNSMate"'
