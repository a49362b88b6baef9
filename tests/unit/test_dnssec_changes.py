"""Signing changes stored for the audit log and retry queue never carry private keys."""

from __future__ import annotations

from dnsmate.services.write.registry import change_from_json, change_to_json
from dnsmate.services.zonedata.dnssec import CreateZoneKey, SyncZoneKeys, ZoneKey

KEY = ZoneKey(
    keytype="csk",
    active=True,
    published=True,
    dnskey="257 3 13 abc==",
    privatekey="Private-key-format: v1.2\nAlgorithm: 13 (ECDSAP256SHA256)\nPrivateKey: s3cr3t=\n",
)


def test_stored_sync_change_has_no_private_key() -> None:
    stored = change_to_json(SyncZoneKeys(zone="example.com.", keys=(KEY,)))

    assert "s3cr3t" not in str(stored)
    assert stored["kind"] == "SyncZoneKeys"
    restored = change_from_json(stored)
    assert isinstance(restored, SyncZoneKeys)
    assert restored.keys[0].dnskey == KEY.dnskey
    assert restored.keys[0].privatekey == ""


def test_key_creation_round_trips() -> None:
    change = CreateZoneKey(zone="example.com.", algorithm="ED25519")
    assert change_from_json(change_to_json(change)) == change
