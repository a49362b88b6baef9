"""``dnsmate zones soa|settings|history``, ``records comment`` and ``tsig`` against a live
DNSMate and three real PowerDNS servers, each result checked in DNS or each server's API."""

from __future__ import annotations

import base64

import dns.query
import dns.tsigkeyring
import dns.zone

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import LiveServer
from tests.integration.dnsutil import dns_query
from tests.integration.test_cli import Cli, cli, create_zone, on_three_servers  # noqa: F401
from tests.integration.test_record_attributes import server_rrset
from tests.integration.test_zone_settings import direct


async def test_soa_comments_history_and_clone_from_the_command_line(
    cli: Cli,  # noqa: F811
    live_server: LiveServer,
    pdns_servers: list[LocalPowerDNS],
) -> None:
    zone = await on_three_servers(live_server, pdns_servers)
    create_zone(cli, zone)

    edited = cli("zones", "soa", "edit", zone, "--primary", "ns0.example.net",
                 "--hostmaster", "dns@example.org", "--refresh", "7200")  # fmt: skip
    assert edited.exit_code == 0, edited.output
    assert "on 3/3 servers" in edited.stdout
    for server in pdns_servers:
        primary, mailbox, _serial, refresh, *_ = dns_query(server, f"{zone}.", "SOA")[0].split()
        assert (primary, mailbox, refresh) == ("ns0.example.net.", "dns.example.org.", "7200")
    shown = cli("zones", "soa", "show", zone)
    assert shown.exit_code == 0 and "ns0.example.net." in shown.stdout
    assert cli.json("zones", "soa", "show", zone)["refresh"] == 7200  # type: ignore[index]
    assert cli("zones", "soa", "edit", zone).exit_code == 1  # nothing to change

    assert cli("records", "add", zone, "www", "A", "192.0.2.10").exit_code == 0
    commented = cli("records", "comment", zone, "www", "A", "web server", "ticket 42")
    assert commented.exit_code == 0, commented.output
    for server in pdns_servers:
        rrset = server_rrset(server, zone, f"www.{zone}.", "A")
        assert sorted(c["content"] for c in rrset["comments"]) == ["ticket 42", "web server"]
    listed = cli("records", "list", zone, "--name", "www")
    assert "# web server" in listed.stdout and "# ticket 42" in listed.stdout
    assert cli("records", "comment", zone, "www", "A", "web server").exit_code == 0

    history = cli.json("zones", "history", "list", zone, "--name", "www")
    newest = history["items"][0]  # type: ignore[index]
    assert [v["action"] for v in history["items"]] == [  # type: ignore[index]
        "record.comment", "record.comment", "record.create",
    ]  # fmt: skip
    diff = cli("zones", "history", "show", zone, str(newest["id"]))
    assert diff.exit_code == 0, diff.output
    assert (
        f'~ www.{zone} A: 192.0.2.10 (comments: "ticket 42", "web server" -> "web server")'
        in diff.stdout
    )
    assert "0 added, 1 changed, 0 removed" in diff.stdout
    table = cli("zones", "history", "list", zone)
    assert "record.comment" in table.stdout and "zone.soa" in table.stdout
    every = cli.json("zones", "history", "list", zone)["items"]  # type: ignore[index]
    [soa_version] = [v["id"] for v in every if v["action"] == "zone.soa"]
    since = cli("zones", "history", "compare", zone, str(soa_version))
    assert since.exit_code == 0, since.output
    assert f"+ www.{zone} 3600 A 192.0.2.10" in since.stdout
    assert "1 added, 0 changed, 0 removed" in since.stdout

    copy = f"copy-{zone}"
    cloned = cli("zones", "clone", zone, copy)
    assert cloned.exit_code == 0, cloned.output
    for server in pdns_servers:
        assert dns_query(server, f"www.{copy}.", "A") == ["192.0.2.10"]
    assert cli.json("zones", "history", "list", copy)["items"][0]["action"] == "zone.clone"  # type: ignore[index]


async def test_zone_settings_and_tsig_keys_from_the_command_line(
    cli: Cli,  # noqa: F811
    live_server: LiveServer,
    pdns_servers: list[LocalPowerDNS],
) -> None:
    zone = await on_three_servers(live_server, pdns_servers)
    create_zone(cli, zone)
    key = f"xfr-{zone}"

    made = cli("tsig", "create", key)
    assert made.exit_code == 0, made.output
    secret = made.stdout.split("Secret (shown once): ")[1].split()[0]
    imported = base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()
    other = cli("tsig", "create", f"imp-{zone}", "--algorithm", "hmac-sha512",
                "--secret-file", "-", input=imported + "\n")  # fmt: skip
    assert other.exit_code == 0, other.output
    assert imported not in other.stdout
    names = [k["name"] for k in cli.json("tsig", "list")]  # type: ignore[union-attr,index]
    assert key in names and f"imp-{zone}" in names

    settings = cli("zones", "settings", "set", zone, "--kind", "Master",
                   "--also-notify", "192.0.2.53", "--also-notify", "192.0.2.54:5300",
                   "--allow-axfr-from", "127.0.0.0/8", "--tsig-allow-axfr", key)  # fmt: skip
    assert settings.exit_code == 0, settings.output
    for server in pdns_servers:
        with direct(server) as client:
            assert client.get(f"/zones/{zone}.").json()["kind"] == "Master"
            notify = client.get(f"/zones/{zone}./metadata/ALSO-NOTIFY").json()["metadata"]
            assert sorted(notify) == ["192.0.2.53", "192.0.2.54:5300"]
            assert client.get(f"/tsigkeys/imp-{zone}.").json()["key"] == imported
        keyring = dns.tsigkeyring.from_text({f"{key}.": ("hmac-sha256", secret)})
        xfr = dns.query.xfr("127.0.0.1", f"{zone}.", port=server.dns_port, keyring=keyring,
                            keyalgorithm="hmac-sha256")  # fmt: skip
        assert dns.zone.from_xfr(xfr).origin is not None
    shown = cli.json("zones", "settings", "show", zone)
    assert shown["kind"] == "Master"  # type: ignore[index]
    notified = cli("zones", "notify", zone)
    assert notified.exit_code == 0 and "on 3/3 servers" in notified.stdout, notified.output
    assert shown["metadata"]["TSIG-ALLOW-AXFR"] == [key]  # type: ignore[index]

    cleared = cli("zones", "settings", "set", zone, "--clear", "also-notify")
    assert cleared.exit_code == 0, cleared.output
    assert "ALSO-NOTIFY (removed)" in cleared.stdout
    for server in pdns_servers:
        with direct(server) as client:
            assert client.get(f"/zones/{zone}./metadata/ALSO-NOTIFY").json()["metadata"] == []
    bad = cli("zones", "settings", "set", zone, "--kind", "Primary-ish")
    assert bad.exit_code == 1 and "kind" in bad.stderr
    assert cli("zones", "settings", "set", zone).exit_code == 1

    rotated = cli("tsig", "update", key, "--rotate")
    assert rotated.exit_code == 0, rotated.output
    fresh = rotated.stdout.split("Secret (shown once): ")[1].split()[0]
    assert fresh != secret and "updated" in rotated.stdout
    for server in pdns_servers:
        with direct(server) as client:
            assert client.get(f"/tsigkeys/{key}.").json()["key"] == fresh
    renamed = cli.json("tsig", "update", f"imp-{zone}", "--rename", f"moved-{zone}",
                       "--secret-file", "-", input=secret + "\n")  # fmt: skip
    assert renamed["name"] == f"moved-{zone}" and renamed["secret"] == secret  # type: ignore[index]
    for server in pdns_servers:
        with direct(server) as client:
            assert client.get(f"/tsigkeys/moved-{zone}.").json()["key"] == secret
    nothing = cli("tsig", "update", key)
    assert nothing.exit_code == 1 and "nothing to change" in nothing.stderr

    assert cli("tsig", "delete", f"moved-{zone}", "--yes").exit_code == 0
    for server in pdns_servers:
        with direct(server) as client:
            assert client.get(f"/tsigkeys/moved-{zone}.").status_code == 404


async def test_catalog_zones_from_the_command_line(
    cli: Cli,  # noqa: F811
    live_server: LiveServer,
    pdns_servers: list[LocalPowerDNS],
) -> None:
    zone = await on_three_servers(live_server, pdns_servers)
    catalog = f"cat-{zone}"
    made = cli("zones", "create", catalog, "--kind", "Producer")
    assert made.exit_code == 0, made.output
    made = cli("zones", "create", zone, "--kind", "Master", "--ns", "ns1.example.net.")
    assert made.exit_code == 0, made.output

    joined = cli("zones", "settings", "set", zone, "--catalog", catalog)

    assert joined.exit_code == 0, joined.output
    assert "on 3/3 servers" in joined.stdout
    for server in pdns_servers:
        with direct(server) as client:
            assert client.get(f"/zones/{zone}.").json()["catalog"] == f"{catalog}."
    assert cli.json("zones", "settings", "members", catalog)["members"] == [zone]  # type: ignore[index]
    shown = cli("zones", "settings", "show", zone)
    assert shown.exit_code == 0 and catalog in shown.stdout
    refused = cli("zones", "settings", "set", zone, "--catalog", "absent.example")
    assert refused.exit_code != 0 and "there is no zone absent.example" in refused.output

    left = cli("zones", "settings", "set", zone, "--catalog", "")

    assert left.exit_code == 0, left.output
    for server in pdns_servers:
        with direct(server) as client:
            assert client.get(f"/zones/{zone}.").json()["catalog"] == ""
