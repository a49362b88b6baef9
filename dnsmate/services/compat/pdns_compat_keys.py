"""PowerDNS's ``cryptokeys`` routes over several servers: the same keys on every target.

Each PowerDNS server numbers its own keys, and resolvers need every server to publish the
same DNSKEY set (see ``dnssec``). So a cryptokey write is done by PowerDNS itself on the
reference server (the read server holding the zone), which checks the request, answers
with its own status, body and key id (the ids the read routes show), and then every target
is made to hold exactly the reference's keys by ``SyncZoneKeys`` through the write
pipeline: audit, versions, retry queue, per-server outcome. Private keys are never stored.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from dnsmate.powerdns.client import JSON, PowerDNSClient
from dnsmate.powerdns.names import fqdn
from dnsmate.services.write.multi_powerdns import MultiPowerDNSService
from dnsmate.services.write.outcome import WriteOutcome
from dnsmate.services.write.pipeline import WritePipeline, WriteScope
from dnsmate.services.zonedata import dnssec

T = TypeVar("T")


async def write_key(
    *,
    pipeline: WritePipeline,
    scope: WriteScope,
    zone: str,
    request: Callable[[PowerDNSClient], Awaitable[T]],
) -> tuple[T, WriteOutcome]:
    """Run ``request`` on the reference server, then give every target its key set.

    Returns the reference's answer and the outcome of the copy to every target. A request
    the reference refuses raises its PowerDNS error and changes nothing anywhere.
    """
    name = fqdn(zone)
    reference = await dnssec.reference_server(multi=scope.targets, zone=name)
    async with reference.write_lock:
        answer = await request(reference)
    keys = await dnssec.export_keys(client=reference, zone=name)
    meta = await reference.get_zone(name, rrsets=False)
    change = dnssec.SyncZoneKeys(zone=name, keys=keys, nsec3param=str(meta.get("nsec3param") or ""))
    return answer, await pipeline.run(change, scope=scope)


async def sign_zone(
    *, pipeline: WritePipeline, scope: WriteScope, zone: str, signing: JSON
) -> WriteOutcome:
    """Set ``signing`` (``dnssec``, ``nsec3param``: PowerDNS's zone fields) on the reference
    server, which makes or drops its keys, then give every target the same keys."""
    _none, outcome = await write_key(
        pipeline=pipeline,
        scope=scope,
        zone=zone,
        request=lambda c: c.update_zone(zone, signing),
    )
    return outcome


async def list_keys(*, multi: MultiPowerDNSService, zone: str) -> list[JSON]:
    """The zone's keys on the read server (public parts), as PowerDNS lists them."""
    return await multi.read(lambda c: c.list_cryptokeys(zone))


async def read_key(*, multi: MultiPowerDNSService, zone: str, key_id: int, private: bool) -> JSON:
    """One key of the read server; its ``privatekey`` only when ``private``."""
    key = await multi.read(lambda c: c.get_cryptokey(zone, key_id))
    if not private:
        key.pop("privatekey", None)
    return key
