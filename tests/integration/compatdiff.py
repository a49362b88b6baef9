"""Differential testing of the PowerDNS-compatible API: one request, two servers.

``Pair.both`` sends the same request to a plain PowerDNS (the reference, which DNSMate
does not manage) and to DNSMate's ``/api/v1`` (in front of real PowerDNS servers), so a
test asserts that both answered alike. ``comparable`` drops what legitimately differs
between two servers (serials, key material, key ids).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import Api

BASE = "/api/v1/servers/localhost"
# Fields whose values depend on when and where the data was written.
VOLATILE = frozenset(
    {"serial", "edited_serial", "notified_serial", "id", "dnskey", "ds", "privatekey", "cds"}
)


@dataclass
class Pair:
    """An HTTP client for the reference PowerDNS and one for DNSMate, each with its key."""

    reference: httpx.AsyncClient
    dnsmate: httpx.AsyncClient

    async def both(
        self, method: str, path: str, **kwargs: Any
    ) -> tuple[httpx.Response, httpx.Response]:
        """The same request to the reference and to DNSMate: (reference, dnsmate)."""
        ref = await self.reference.request(method, path, **kwargs)
        mate = await self.dnsmate.request(method, path, **kwargs)
        return ref, mate

    async def aclose(self) -> None:
        await self.reference.aclose()
        await self.dnsmate.aclose()


async def make_pair(api: Api, reference: LocalPowerDNS, **token: object) -> Pair:
    """A pair for ``api`` (an app with servers registered) and the reference server; the
    DNSMate side uses a new API token of the logged-in admin (``token``: its options)."""
    created = await api.client.post("/api/tokens", json={"name": "differential", **token})
    assert created.status_code == 201, created.text
    mate = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=api.app),
        base_url="http://dnsmate.test",
        headers={"X-API-Key": created.json()["token"], "Accept": "application/json"},
        timeout=60,
    )
    ref = httpx.AsyncClient(
        base_url=reference.api_url,
        headers={"X-API-Key": reference.api_key, "Accept": "application/json"},
        timeout=60,
    )
    return Pair(reference=ref, dnsmate=mate)


def comparable(value: Any) -> Any:
    """``value`` without the VOLATILE fields, lists of objects in a stable order, and an SOA's
    primary name server masked (a zone created without an SOA gets DNSMate's SOA defaults,
    the first name server, where PowerDNS writes its ``default-soa-content``)."""
    if isinstance(value, dict):
        if value.get("type") == "SOA":  # an RRset, or a search-data record
            value = _soa_masked(value)
            if isinstance(value.get("records"), list):
                value = {**value, "records": [_soa_masked(r) for r in value["records"]]}
        return {k: comparable(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        items = [comparable(v) for v in value]
        return sorted(items, key=repr)
    return value


def _soa_masked(record: Any) -> Any:
    if not isinstance(record, dict) or not isinstance(record.get("content"), str):
        return record
    _primary, _, rest = record["content"].partition(" ")
    return {**record, "content": f"PRIMARY {rest}"}


def body(response: httpx.Response) -> Any:
    """The JSON body, or the text when there is no JSON (a 204 gives None)."""
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.text


def assert_same(ref: httpx.Response, mate: httpx.Response) -> None:
    """Same status and, VOLATILE fields aside, the same body."""
    where = f"{mate.request.method} {mate.request.url.path}"
    assert mate.status_code == ref.status_code, (where, ref.text, mate.text)
    assert comparable(body(mate)) == comparable(body(ref)), (where, ref.text, mate.text)
