"""Zone file export and import, AXFR import and backups against real PowerDNS servers."""

from __future__ import annotations

import hashlib
import io
import json
import secrets
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import dns.zone
import httpx
import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS, free_port
from tests.conftest import Api
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query

NS = ["ns1.example.net.", "ns2.example.net."]
ZONE_FILE = """\
; a hand-written zone file
$ORIGIN {zone}.
$TTL 3600
@       IN SOA  ns1.example.net. hostmaster.example.net. (
                2024010101 ; serial
                7200 3600 1209600 300 )
        IN NS   ns1.example.net.
        IN NS   ns2.example.net.
@       300 IN A 192.0.2.10
www     300 IN A 192.0.2.11
www         IN AAAA 2001:db8::11
alias       IN CNAME www
mail        IN MX 10 mx1.example.net.
            IN MX 20 mx2
txt         IN TXT "hello world" "second string"
_sip._tcp   IN SRV 10 5 5060 sip
@           IN CAA 0 issue "letsencrypt.org"
*.wild  60  IN A 192.0.2.99
sub         IN NS ns.sub
ns.sub      IN A 192.0.2.53
"""


def zone_file(zone: str) -> str:
    return ZONE_FILE.format(zone=zone)


async def rrsets(api: Api, server: LocalPowerDNS, zone: str) -> dict[tuple[str, str], object]:
    """The zone's RRsets as PowerDNS holds them, SOA aside: (name, type) -> (ttl, contents)."""
    async with httpx.AsyncClient(headers={"X-API-Key": server.api_key}) as client:
        data = (await client.get(f"{server.api_url}/api/v1/servers/localhost/zones/{zone}.")).json()
    return {
        (r["name"], r["type"]): (r["ttl"], sorted(x["content"] for x in r["records"]))
        for r in data["rrsets"] if r["type"] != "SOA"
    }  # fmt: skip


async def import_text(api: Api, zone: str, text: str, **params: object) -> httpx.Response:
    return await api.client.post(
        f"/api/zones/{zone}/import", content=text.encode(),
        headers={"Content-Type": "text/plain"}, params=params,
    )  # fmt: skip


async def test_import_into_a_new_zone_plans_then_creates_it_everywhere(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, True))
    zone = unique_zone("imp")

    plan = await import_text(api, zone, zone_file(zone))
    applied = await import_text(api, zone, zone_file(zone), dry_run=False)

    assert plan.status_code == 200, plan.text
    body = plan.json()
    assert body["dry_run"] is True and body["zone_exists"] is False
    assert (body["plan"]["adds"], body["plan"]["changes"], body["plan"]["deletes"]) == (12, 0, 0)
    assert any("SOA: not imported" in note for note in body["notes"])
    assert applied.status_code == 201, applied.text
    assert applied.json()["created"] is True and applied.json()["atomic"] is True
    for server in pdns_servers:
        assert dns_query(server, f"www.{zone}.", "AAAA") == ["2001:db8::11"]
        assert dns_query(server, f"mail.{zone}.", "MX") == [
            "10 mx1.example.net.", f"20 mx2.{zone}.",
        ]  # fmt: skip
        assert dns_query(server, f"txt.{zone}.", "TXT") == ['"hello world" "second string"']
        assert dns_query(server, f"x.wild.{zone}.", "A") == ["192.0.2.99"]
        assert dns_query(server, f"_sip._tcp.{zone}.", "SRV") == [f"10 5 5060 sip.{zone}."]
        # PowerDNS keeps its own SOA: the file's serial 2024010101 was not imported.
        assert "2024010101" not in dns_query(server, f"{zone}.", "SOA")[0]
    # One change created the zone with all of its records: one version, not a create and a PATCH.
    versions = (await api.client.get(f"/api/zones/{zone}/versions")).json()["items"]
    assert [v["action"] for v in versions] == ["zone.create"]


async def test_merge_adds_and_changes_replace_also_deletes(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, False))
    zone = unique_zone("imp")
    assert (await import_text(api, zone, zone_file(zone), dry_run=False)).status_code == 201
    edited = (
        zone_file(zone)
        .replace("www     300 IN A 192.0.2.11", "www     300 IN A 192.0.2.12")
        .replace("alias       IN CNAME www\n", "")
        + "new 300 IN A 192.0.2.13\n"
    )

    merge_plan = (await import_text(api, zone, edited, mode="merge")).json()["plan"]
    merged = await import_text(api, zone, edited, mode="merge", dry_run=False)
    replace_plan = (await import_text(api, zone, edited, mode="replace")).json()
    replaced = await import_text(
        api, zone, edited, mode="replace", dry_run=False, expect_serial=replace_plan["serial"]
    )
    stale = await import_text(api, zone, edited, mode="replace", dry_run=False,
                              expect_serial=replace_plan["serial"])  # fmt: skip

    assert (merge_plan["adds"], merge_plan["changes"], merge_plan["deletes"]) == (1, 1, 0)
    assert merge_plan["changed"][0]["before"]["records"][0]["content"] == "192.0.2.11"
    assert merged.status_code == 200, merged.text
    assert replace_plan["plan"]["deleted"] == [
        {"name": f"alias.{zone}", "type": "CNAME", "ttl": 3600,
         "records": [{"content": f"www.{zone}.", "disabled": False}]}
    ]  # fmt: skip
    assert replaced.status_code == 200, replaced.text
    assert stale.status_code == 422 and "changed since the plan" in stale.json()["message"]
    for server in pdns_servers[:2]:
        assert dns_query(server, f"www.{zone}.", "A") == ["192.0.2.12"]
        assert dns_query(server, f"new.{zone}.", "A") == ["192.0.2.13"]
        assert dns_query(server, f"alias.{zone}.", "CNAME") == []


async def test_parse_errors_name_the_line_and_change_nothing(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers[:1], (False,))
    zone = unique_zone("imp")
    broken = zone_file(zone).replace("www     300 IN A 192.0.2.11", "www     300 IN A 192.0.2")

    response = await import_text(api, zone, broken, dry_run=False)
    unknown = await import_text(api, zone, "$TTL 60\n@ NS ns1.example.net.\nx BOGUS 1\n")

    assert response.status_code == 422, response.text
    assert response.json()["field"] == "file"
    assert response.json()["message"].startswith("file: line 10: ")
    # What an A record is, and the offending line itself (hard to find in a big file).
    assert "A records: write an IPv4 address" in response.json()["message"]
    assert response.json()["message"].endswith("the line reads: www     300 IN A 192.0.2")
    assert unknown.json()["message"] == (
        "file: line 3: unknown rdatatype 'BOGUS'; the line reads: x BOGUS 1"
    )
    assert (await api.client.get(f"/api/zones/{zone}")).status_code == 404


async def test_multipart_upload(api: Api, pdns_servers: list[LocalPowerDNS]) -> None:
    await register_servers(api.client, pdns_servers[:1], (False,))
    zone = unique_zone("imp")

    response = await api.client.post(
        f"/api/zones/{zone}/import", params={"dry_run": False},
        files={"file": (f"{zone}.zone", zone_file(zone).encode(), "text/dns")},
    )  # fmt: skip

    assert response.status_code == 201, response.text
    assert dns_query(pdns_servers[0], f"www.{zone}.", "A") == ["192.0.2.11"]


async def test_export_then_import_into_an_empty_zone_gives_identical_rrsets(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, True))
    zone = unique_zone("rt")
    assert (await import_text(api, zone, zone_file(zone), dry_run=False)).status_code == 201
    extra = [
        ("long", "TXT", '"' + "x" * 255 + '" "' + "y" * 40 + '"'),
        ("quote", "TXT", r'"say \"hi\" ; not a comment"'),
        ("_dmarc", "TXT", "v=DMARC1; p=none"),
        ("sshfp", "SSHFP", "1 1 " + "ab" * 20),
        ("_443._tcp", "TLSA", "3 1 1 " + "cd" * 32),
        ("loc", "LOC", "52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m"),
        ("sub", "DS", "12345 13 2 " + "ef" * 32),
        ("ptr", "PTR", "host.example.net."),
    ]
    for name, rtype, content in extra:
        added = await api.client.post(f"/api/records/{zone}", json={
            "name": name, "type": rtype, "content": content, "ttl": 120})  # fmt: skip
        assert added.status_code == 201, added.text
    before = await rrsets(api, pdns_servers[0], zone)

    exported = await api.client.get(f"/api/zones/{zone}/export")
    assert exported.status_code == 200
    assert exported.headers["content-disposition"] == f'attachment; filename="{zone}.zone"'
    dns.zone.from_text(exported.text, origin=f"{zone}.", relativize=False)  # valid RFC 1035
    assert (await api.client.delete(f"/api/zones/{zone}")).status_code == 200
    imported = await import_text(api, zone, exported.text, dry_run=False)

    assert imported.status_code == 201, imported.text
    for server in pdns_servers:
        assert await rrsets(api, server, zone) == before


@pytest.fixture(scope="module")
def axfr_source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalPowerDNS]:
    """A PowerDNS server outside DNSMate that allows zone transfers to 127.0.0.1."""
    server = LocalPowerDNS(
        name="AXFR source",
        workdir=tmp_path_factory.mktemp("axfr") / "source",
        api_key=secrets.token_urlsafe(16),
        extra_settings={"allow-axfr-ips": "127.0.0.1", "disable-axfr": "no"},
    )
    server.start()
    yield server
    server.stop()


async def test_axfr_import_from_another_server(
    api: Api, pdns_servers: list[LocalPowerDNS], axfr_source: LocalPowerDNS
) -> None:
    zone = unique_zone("axfr")
    async with httpx.AsyncClient(headers={"X-API-Key": axfr_source.api_key}) as client:
        created = await client.post(
            f"{axfr_source.api_url}/api/v1/servers/localhost/zones",
            json={"name": f"{zone}.", "kind": "Native", "nameservers": NS, "rrsets": [
                {"name": f"www.{zone}.", "type": "A", "ttl": 300, "changetype": "REPLACE",
                 "records": [{"content": "192.0.2.80", "disabled": False}]},
                {"name": f"{zone}.", "type": "MX", "ttl": 300, "changetype": "REPLACE",
                 "records": [{"content": f"10 mail.{zone}.", "disabled": False}]},
            ]},
        )  # fmt: skip
        assert created.status_code == 201, created.text
    await register_servers(api.client, pdns_servers, (True, True, True))
    source = {"primary": "127.0.0.1", "port": axfr_source.dns_port}

    plan = await api.client.post(f"/api/zones/{zone}/import/axfr", json=source)
    applied = await api.client.post(
        f"/api/zones/{zone}/import/axfr", json={**source, "dry_run": False}
    )
    nobody = await api.client.post(
        f"/api/zones/{zone}/import/axfr", json={"primary": "127.0.0.1", "port": free_port()}
    )
    hostname = await api.client.post(
        f"/api/zones/{zone}/import/axfr", json={"primary": "localhost", "port": 53}
    )

    assert plan.status_code == 200, plan.text
    assert plan.json()["plan"]["adds"] == 3  # NS, A, MX; the SOA stays PowerDNS's
    assert applied.status_code == 201, applied.text
    for server in pdns_servers:
        assert dns_query(server, f"www.{zone}.", "A") == ["192.0.2.80"]
        assert dns_query(server, f"{zone}.", "MX") == [f"10 mail.{zone}."]
    assert nobody.status_code == 422
    assert nobody.json()["message"].startswith(f"primary: zone transfer of {zone}. from 127.0.0.1")
    assert (hostname.status_code, hostname.json()["field"]) == (422, "primary")


async def test_backup_archives_every_zone_with_a_manifest(
    api: Api, pdns_servers: list[LocalPowerDNS], tmp_path: Path
) -> None:
    (server,) = await register_servers(api.client, pdns_servers[:1], (False,))
    # The session's servers may hold the 100,000-record zone of test_big_zone by now.
    await api.client.put(f"/api/settings/powerdns/{server['id']}", json={"timeout_seconds": 60})
    zones = [unique_zone("bak"), unique_zone("bak")]
    for zone in zones:
        assert (await import_text(api, zone, zone_file(zone), dry_run=False)).status_code == 201

    tar = await api.client.get("/api/backup", timeout=300)
    zipped = await api.client.get("/api/backup", params={"format": "zip"}, timeout=300)

    assert tar.status_code == 200 and zipped.status_code == 200
    with tarfile.open(fileobj=io.BytesIO(tar.content), mode="r:gz") as archive:
        members = {m.name.split("/", 1)[1]: m for m in archive.getmembers()}
        manifest = json.load(archive.extractfile(members["manifest.json"]))  # type: ignore[arg-type]
        files = {p: archive.extractfile(m).read() for p, m in members.items()}  # type: ignore[union-attr]
    listed = {z["name"]: z for z in manifest["zones"]}
    assert manifest["server"] == "Primary PowerDNS"
    for zone in zones:
        entry = listed[zone]
        text = files[entry["file"]]
        assert entry["sha256"] == hashlib.sha256(text).hexdigest()
        parsed = dns.zone.from_text(text.decode(), origin=f"{zone}.", relativize=False)
        assert parsed.find_rdataset(f"www.{zone}.", "A")[0].to_text() == "192.0.2.11"
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as archive:
        assert any(n.endswith(f"zones/{zones[0]}.zone") for n in archive.namelist())


async def test_an_import_differing_only_in_the_case_of_a_cname_target_converges(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    # DNS names compare case-insensitively: a file that differs from the zone only in the
    # case of a CNAME target is the zone already. The preview once announced "1 change"
    # that applying never made (no write, no version), and then announced it again forever.
    await register_servers(api.client, pdns_servers, (True, True, False))
    zone = unique_zone("case")
    assert (await import_text(api, zone, zone_file(zone), dry_run=False)).status_code == 201
    versions = (await api.client.get(f"/api/zones/{zone}/versions")).json()["total"]
    shouted = zone_file(zone).replace("alias       IN CNAME www", "alias IN CNAME WWW")

    preview = await import_text(api, zone, shouted, mode="replace")
    applied = await import_text(api, zone, shouted, mode="replace", dry_run=False)
    again = await import_text(api, zone, shouted, mode="replace")

    assert preview.status_code == 200, preview.text
    plan = preview.json()["plan"]
    assert (plan["adds"], plan["changes"], plan["deletes"]) == (0, 0, 0), plan
    assert applied.status_code in (200, 201), applied.text
    assert again.json()["plan"]["changes"] == 0
    after = (await api.client.get(f"/api/zones/{zone}/versions")).json()["total"]
    assert after == versions
    for server in pdns_servers[:2]:
        assert dns_query(server, f"alias.{zone}.", "CNAME") == [f"www.{zone}."]
