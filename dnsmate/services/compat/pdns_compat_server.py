"""PowerDNS's server-wide routes over several servers: autoprimaries, search, statistics.

Autoprimaries are server configuration every target must share (a secondary provisions a
zone from whichever primary NOTIFYs it), so adding and deleting one is a change that runs
through the write pipeline on every target, idempotent like every change. Searching and
statistics read the read server. Cache flushes and AXFR retrievals act on every target
without being changes (nothing to replay later), like NOTIFY.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Any, ClassVar

from dnsmate.powerdns.client import JSON, PowerDNSClient
from dnsmate.powerdns.names import fqdn
from dnsmate.services.errors import InvalidInput
from dnsmate.services.write.changes import Change, Irreversible, ServerChange
from dnsmate.services.write.multi_powerdns import MultiPowerDNSResult, MultiPowerDNSService

# Settings whose values are secrets ("api-key", "gmysql-password", "tcp-control-secret", ...)
# or may hold one ("remote-connection-string", "gpgsql-extra-connection-parameters": a URL or
# a libpq string can carry a password).
_SECRET = re.compile(r"(^|-)(key|password|secret|connection-string|connection-parameters)$")


def _find(autoprimaries: list[JSON], ip: str, nameserver: str) -> JSON | None:
    return next(
        (a for a in autoprimaries if a.get("ip") == ip and a.get("nameserver") == nameserver),
        None,
    )


@dataclass(frozen=True)
class AddAutoprimary:
    """Add an autoprimary (``ip``, ``nameserver``, ``account``); present already: no change."""

    ip: str
    nameserver: str
    account: str = ""
    zone: str = ""  # server-wide: no zone
    action: ClassVar[str] = "autoprimary.create"
    verb: ClassVar[str] = "add"
    noun: ClassVar[str] = "Autoprimary"

    async def apply(self, client: PowerDNSClient) -> ServerChange:
        async with client.write_lock:
            if _find(await client.list_autoprimaries(), self.ip, self.nameserver) is not None:
                return ServerChange(False)
            body = {"ip": self.ip, "nameserver": self.nameserver, "account": self.account}
            await client.add_autoprimary(body)
        return ServerChange(True)

    def undo(self, done: ServerChange) -> Change | None:
        """Delete it again."""
        return DeleteAutoprimary(ip=self.ip, nameserver=self.nameserver)


@dataclass(frozen=True)
class DeleteAutoprimary(Irreversible):
    """Delete the autoprimary ``ip``/``nameserver``; absent already: no change."""

    ip: str
    nameserver: str
    zone: str = ""
    action: ClassVar[str] = "autoprimary.delete"
    verb: ClassVar[str] = "delete"
    noun: ClassVar[str] = "Autoprimary"

    async def apply(self, client: PowerDNSClient) -> ServerChange:
        async with client.write_lock:
            if _find(await client.list_autoprimaries(), self.ip, self.nameserver) is None:
                return ServerChange(False)
            await client.delete_autoprimary(self.ip, self.nameserver)
        return ServerChange(True)


def _string(body: JSON, key: str, *, required: bool = True) -> str:
    value = body.get(key, None if required else "")
    if not isinstance(value, str):
        raise InvalidInput("body", f"Key '{key}' not present or not a String")
    return value


def add_autoprimary(body: JSON) -> AddAutoprimary:
    """``POST /autoprimaries``: PowerDNS's checks, and an IP address that is one (PowerDNS
    stores any text, which can then never match a NOTIFY)."""
    ip = _string(body, "ip")
    try:
        ipaddress.ip_address(ip)
    except ValueError as exc:
        raise InvalidInput("body", f"'{ip}' is not an IP address") from exc
    nameserver = _string(body, "nameserver")
    return AddAutoprimary(
        ip=ip, nameserver=nameserver, account=_string(body, "account", required=False)
    )


async def list_autoprimaries(*, multi: MultiPowerDNSService) -> list[JSON]:
    """The autoprimaries of the read server."""
    return await multi.read(lambda c: c.list_autoprimaries())


async def search(
    *, multi: MultiPowerDNSService, params: dict[str, str], allowed: set[str] | None
) -> list[JSON]:
    """``GET /search-data`` on the read server, matches in ``allowed`` zones only (None: all).

    PowerDNS applies ``max`` before the zones are filtered: a caller limited to some zones
    may get fewer results than ``max`` while more exist.
    """
    found = await multi.read(lambda c: c.search(params))
    if allowed is None:
        return found
    return [item for item in found if fqdn(str(item.get("zone") or item.get("name"))) in allowed]


async def config(*, multi: MultiPowerDNSService) -> list[JSON]:
    """``GET /config`` of the read server, with every secret-looking value masked as
    PowerDNS masks its API key (backend passwords, TSIG and cookie secrets)."""
    return masked(await multi.read(lambda c: c.config()))


def masked(settings: list[JSON]) -> list[JSON]:
    """``settings`` (PowerDNS's ``name``/``value`` items) with every secret's value "***"."""
    return [
        {**item, "value": "***"} if _SECRET.search(str(item.get("name"))) and item.get("value")
        else item
        for item in settings
    ]  # fmt: skip


async def statistics(
    *, multi: MultiPowerDNSService, params: dict[str, str], rings: bool
) -> list[JSON]:
    """``GET /statistics`` of the read server (PowerDNS's counters are per server).

    Without ``rings`` the ring statistics are left out: they name the queried names of
    every zone and the addresses that asked. (PowerDNS 4.7 answers a ring asked for by
    ``?statistic=`` as an unknown statistic, 422.)
    """
    found = await multi.read(lambda c: c.statistics(params))
    if rings:
        return found
    return [item for item in found if item.get("type") != "RingStatisticItem"]


async def flush_cache(*, multi: MultiPowerDNSService, name: str) -> MultiPowerDNSResult[JSON]:
    """Flush ``name`` from the caches of every target server."""
    return await multi.execute(lambda c: c.flush_cache(name))


def flushed(result: MultiPowerDNSResult[JSON]) -> dict[str, Any]:
    """PowerDNS's answer to a flush: the entries dropped, added up over the servers."""
    count = sum(int((r.value or {}).get("count", 0)) for r in result.results if r.success)
    return {"count": count, "result": "Flushed cache."}
