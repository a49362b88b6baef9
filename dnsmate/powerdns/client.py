"""Async HTTP client for one PowerDNS Authoritative server.

Every call goes through ``_request``: base URL, API key header, timeout, ``Accept:
application/json`` (without it PowerDNS answers errors in plain text), translation of
httpx and HTTP failures into ``dnsmate.powerdns.errors``, and the retry of writes that
PowerDNS 4.7 + gsqlite3 fails with HTTP 500 "database is locked".

PowerDNS fails concurrent writes to one server, so each client carries a write lock.
Callers that read-modify-write an RRset hold ``client.write_lock`` across the read and
the PATCH, which also makes simultaneous additions to one RRset all land.
"""

from __future__ import annotations

import asyncio
import json as jsonlib
import logging
import time
from contextlib import AbstractAsyncContextManager
from typing import Any

import httpx

from dnsmate.powerdns import errors
from dnsmate.powerdns.name_reads import NameReads, Read
from dnsmate.powerdns.names import fqdn, zone_id
from dnsmate.powerdns.transport import PlainHTTPTransport

log = logging.getLogger(__name__)
# A transport error while sending a body this large is taken for PowerDNS refusing its size
# (2 MB by default); DNSMate's own PATCHes stay below 1.5 MB (services/zonedata/records.py).
LARGE_REQUEST_BYTES = 1_900_000

JSON = dict[str, Any]
# A name read (``get_zone`` with ``rrset_name``) asks search-data for up to this many
# records; more means the whole zone is read instead.
NAME_SEARCH_LIMIT = 1000


class PowerDNSClient:
    """One PowerDNS server: its identity, an httpx client, and its write lock."""

    def __init__(
        self,
        *,
        name: str,
        api_url: str,
        api_key: str,
        server_id: str = "localhost",
        timeout: float = 10.0,
        connect_timeout: float | None = None,
        verify_ssl: bool = True,
        write_retries: int = 4,
        retry_base_seconds: float = 0.05,
        transport: httpx.AsyncBaseTransport | None = None,
        settings_id: int | None = None,
    ) -> None:
        self.name = name
        # DNSMate's id for this server (its settings row); ``server_id`` is PowerDNS's own.
        self.settings_id = settings_id
        self.api_url = api_url.rstrip("/")
        self.server_id = server_id
        # An asyncio.Lock, or a lock that also spans processes (PostgreSQL advisory lock).
        self.write_lock: AbstractAsyncContextManager[Any] = asyncio.Lock()
        # The service layer's group commit of this server's one-RRset changes
        # (``dnsmate.services.write.coalesce``), shared like the lock; made on first use.
        self.coalescer: Any = None
        # What this server's reads cost, for ``read_name`` to choose how it reads a name.
        self.name_reads = NameReads()
        self._write_retries = write_retries
        self._retry_base = retry_base_seconds
        # Requests sent and not answered yet (start times), and when the last answer came:
        # how long the server has been silent (``silent_seconds``).
        self._in_flight: dict[asyncio.Future[httpx.Response], float] = {}
        self._answered_at = 0.0
        # ``timeout`` bounds each read (and write, and pool wait); ``connect_timeout`` (never
        # above it) the connection: a dead address fails fast, a slow answer is waited for.
        connect = timeout if connect_timeout is None else min(connect_timeout, timeout)
        self._base = f"{self.api_url}/api/v1/servers/{server_id}"
        self._headers = httpx.Headers({"X-API-Key": api_key, "Accept": "application/json"})
        self._json_headers = httpx.Headers({**self._headers, "Content-Type": "application/json"})
        self._timeouts = httpx.Timeout(timeout, connect=connect).as_dict()
        if transport is None and self.api_url.startswith("http://"):
            transport = PlainHTTPTransport()
        # Requests go straight to ``transport`` (plain HTTP, or one a test gives): httpx's
        # client layer (base URL, header merging, auth, redirects, cookies) cost 0.27 ms of
        # CPU per request, and a PowerDNS request needs none of it. HTTPS servers go through
        # httpx's client, for its TLS connection pool.
        self._transport = transport
        self._http = None if transport is not None else httpx.AsyncClient(verify=verify_ssl)

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
        if self._transport is not None:
            await self._transport.aclose()

    def silent_seconds(self) -> float:
        """How long a request to this server has waited for an answer with no answer to any
        request arriving meanwhile; 0 when nothing is in flight. A busy server that answers
        stays near 0; a hung one grows (the fan-out's straggler test)."""
        if not self._in_flight:
            return 0.0
        waiting_since = max(min(self._in_flight.values()), self._answered_at)
        return time.monotonic() - waiting_since

    # -- reads -----------------------------------------------------------------------------

    async def server_info(self) -> JSON:
        """``GET /servers/{id}``: version and daemon type; proves the key works."""
        result: JSON = await self._request("GET", "")
        return result

    async def list_zones(self, *, dnssec: bool = False, zone: str | None = None) -> list[JSON]:
        """Every zone on the server (only ``zone`` when given), without RRsets; ``dnssec``
        adds the ``dnssec`` and ``edited_serial`` fields (PowerDNS's default, and much
        slower). PowerDNS 4.7.3 fills ``catalog`` only in the list of one ``zone``."""
        params = {"dnssec": "true" if dnssec else "false"}
        if zone is not None:
            params["zone"] = fqdn(zone)
        result: list[JSON] = await self._request("GET", "/zones", params=params)
        return result

    async def get_zone(
        self,
        zone: str,
        *,
        rrsets: bool = True,
        rrset_name: str | None = None,
        rrset_type: str | None = None,
        disabled: bool = True,
    ) -> JSON:
        """One zone; with ``rrset_name``/``rrset_type`` only the matching RRsets.

        PowerDNS 4.7 leaves disabled records out of a GET filtered by ``rrset_name`` (and
        lists the comments of other types at that name as RRsets without records), so such
        a read also asks ``search-data`` for the records at the name, which include the
        disabled ones, and answers the RRsets as an unfiltered GET would show them. A
        write that read-modify-writes an RRset would otherwise erase its disabled records.
        ``disabled=False`` skips that second request: a read of what is served (the SOA,
        the apex name servers) wants PowerDNS's filtered answer as it is.
        """
        params: dict[str, str] = {}
        if not rrsets:
            params["rrsets"] = "false"
        if rrset_name is not None:
            params["rrset_name"] = fqdn(rrset_name)
        if rrset_type is not None:
            params["rrset_type"] = rrset_type
        path = f"/zones/{zone_id(zone)}"
        if rrset_name is None and rrsets:  # the whole zone: what it costs is worth knowing
            started = time.perf_counter()
            zone_data: JSON = await self._request("GET", path, params=params)
            self.name_reads.read_whole(
                fqdn(zone), time.perf_counter() - started, len(zone_data.get("rrsets", []))
            )
            return zone_data
        if rrset_name is None or not rrsets or not disabled:
            result: JSON = await self._request("GET", path, params=params)
            return result
        name = fqdn(rrset_name)
        answer, found = await asyncio.gather(
            self._request("GET", path, params=params),
            self.search_data(_query(name), limit=NAME_SEARCH_LIMIT, object_type="record"),
        )  # fmt: skip
        data: JSON = answer
        if len(found) >= NAME_SEARCH_LIMIT:  # too many to trust: read the whole zone
            whole = await self.get_zone(zone)
            found = [
                {**record, "name": r["name"], "type": r["type"], "ttl": r["ttl"], "zone": zone}
                for r in whole.get("rrsets", [])
                for record in r.get("records", [])
            ]
        data["rrsets"] = _rrsets_at(data, found, zone=zone, name=name, rtype=rrset_type)
        return data

    async def get_rrset(
        self, zone: str, name: str, rtype: str, *, disabled: bool = True
    ) -> JSON | None:
        """The RRset ``(name, type)`` of ``zone``, or None when it does not exist
        (``disabled``: as for ``get_zone``)."""
        data = await self.get_zone(zone, rrset_name=name, rrset_type=rtype, disabled=disabled)
        for rrset in data.get("rrsets", []):
            if rrset["name"] == fqdn(name) and rrset["type"] == rtype:
                return rrset  # type: ignore[no-any-return]
        return None

    async def read_name(
        self, zone: str, name: str, rtype: str | None = None, *, absent_ok: bool = False
    ) -> list[JSON]:
        """The RRsets at ``name`` of ``zone`` (only ``rtype`` when given) with every record,
        disabled ones included, as ``get_zone`` answers them: what a write plans from.

        Usually one request, chosen by what this server's reads were measured to cost
        (``name_reads``): the whole zone where that costs less than search-data (a small
        zone on a server with a big database), else search-data, which lists every record
        at the name with its TTL and disabled flag, and every comment with its name and type.
        The filtered GET is sent beside search-data only when that cannot answer alone:
        - comments at the name (search-data gives them without account and modified_at);
        - nothing at the name, unless ``absent_ok``: the GET's 404 tells a missing zone from
          an empty name (``absent_ok``: the caller's PATCH will tell it instead);
        - more matches than NAME_SEARCH_LIMIT, or a zone whose records this server's search
          was not seen to list (a backend without search: the first read of each zone also
          asks search-data for the zone's SOA to find out).
        """
        zone, name = fqdn(zone), fqdn(name)
        how = self.name_reads.choose(zone)
        if how is Read.ZONE:
            whole = await self.get_zone(zone)
            return [r for r in whole.get("rrsets", []) if r.get("records")
                    and fqdn(r["name"]) == name and rtype in (None, r["type"])]  # fmt: skip
        if how is not Read.SEARCH:
            read = self.get_zone(zone, rrset_name=name, rrset_type=rtype)
            if how is Read.FIRST:
                data, self.name_reads.searchable[zone] = await asyncio.gather(
                    read, self._search_lists_soa(zone)
                )
            else:
                data = await read
            return data["rrsets"]  # type: ignore[no-any-return]
        found = await self.search_data(_query(name), limit=NAME_SEARCH_LIMIT)
        if len(found) >= NAME_SEARCH_LIMIT:
            data = await self.get_zone(zone, rrset_name=name, rrset_type=rtype)
            return data["rrsets"]  # type: ignore[no-any-return]
        here = [
            f for f in found
            if f.get("object_type") in ("record", "comment") and _found_at(f, name, zone)
            and (rtype is None or f["type"] == rtype)
        ]  # fmt: skip
        records = [f for f in here if f["object_type"] == "record"]
        answer: JSON = {}
        if len(records) < len(here) or not (records or absent_ok):
            answer = await self.get_zone(zone, rrset_name=name, rrset_type=rtype, disabled=False)
        return _rrsets_at(answer, records, zone=zone, name=name, rtype=rtype)

    async def _search_lists_soa(self, zone: str) -> bool:
        """Whether search-data lists ``zone``'s SOA record (so it lists the zone's records)."""
        found = await self.search_data(_query(zone), limit=NAME_SEARCH_LIMIT,
                                       object_type="record")  # fmt: skip
        return any(f["type"] == "SOA" and _found_at(f, zone, zone) for f in found)

    async def list_cryptokeys(self, zone: str) -> list[JSON]:
        """The zone's DNSSEC keys (public parts only: no ``privatekey``)."""
        result: list[JSON] = await self._request("GET", f"/zones/{zone_id(zone)}/cryptokeys")
        return result

    async def get_cryptokey(self, zone: str, key_id: int) -> JSON:
        """One DNSSEC key, including its ``privatekey`` (never pass that on to a user)."""
        result: JSON = await self._request("GET", f"/zones/{zone_id(zone)}/cryptokeys/{key_id}")
        return result

    async def search_data(self, query: str, *, limit: int, object_type: str = "all") -> list[JSON]:
        """``GET /search-data``: zones, records and comments matching ``query`` (``*``, ``?``)."""
        return await self.search({"q": query, "max": str(limit), "object_type": object_type})

    async def search(self, params: dict[str, str]) -> list[JSON]:
        """``GET /search-data`` with PowerDNS's own parameters (``q``, ``max``, ...)."""
        started = time.perf_counter()
        result: list[JSON] = await self._request("GET", "/search-data", params=params)
        self.name_reads.searched(time.perf_counter() - started)
        return result

    async def statistics(self, params: dict[str, str]) -> list[JSON]:
        """``GET /statistics`` (``statistic``, ``includerings``): the server's counters."""
        result: list[JSON] = await self._request("GET", "/statistics", params=params)
        return result

    async def config(self) -> list[JSON]:
        """``GET /config``: the server's settings (PowerDNS masks its API key)."""
        result: list[JSON] = await self._request("GET", "/config")
        return result

    async def list_autoprimaries(self) -> list[JSON]:
        """The autoprimaries: ``ip``, ``nameserver`` and ``account`` of each."""
        result: list[JSON] = await self._request("GET", "/autoprimaries")
        return result

    # -- writes (call with write_lock held when the write depends on a read) ---------------

    async def create_zone(self, payload: JSON) -> JSON:
        result: JSON = await self._request("POST", "/zones", json=payload, write=True)
        return result

    async def delete_zone(self, zone: str) -> None:
        await self._request("DELETE", f"/zones/{zone_id(zone)}", write=True)

    async def patch_rrsets(self, zone: str, rrsets: list[JSON] | bytes) -> None:
        """Apply RRset changes atomically (one PATCH: all applied or none).

        ``rrsets`` may come encoded already (``encode_patch``): a change sent to several
        servers is encoded once (10,000 RRsets are 1.5 MB of JSON).
        """
        body = rrsets if isinstance(rrsets, bytes) else encode_patch(rrsets)
        await self._request("PATCH", f"/zones/{zone_id(zone)}", content=body, write=True)

    async def update_zone(self, zone: str, changes: JSON) -> None:
        """``PUT /zones/{id}``: change zone properties (``api_rectify``, ``nsec3param``, ...)."""
        await self._request("PUT", f"/zones/{zone_id(zone)}", json=changes, write=True)

    async def rectify_zone(self, zone: str) -> None:
        """Recompute the zone's DNSSEC ordering and auth fields (signed zones only)."""
        await self._request("PUT", f"/zones/{zone_id(zone)}/rectify", write=True)

    async def create_cryptokey(self, zone: str, key: JSON) -> JSON:
        """Generate a key, or import one when ``key`` carries ``privatekey``."""
        path = f"/zones/{zone_id(zone)}/cryptokeys"
        result: JSON = await self._request("POST", path, json=key, write=True)
        return result

    async def set_cryptokey_state(
        self, zone: str, key_id: int, *, active: bool, published: bool = True
    ) -> None:
        """Activate or deactivate a key, publish or unpublish its DNSKEY."""
        await self.put_cryptokey(zone, key_id, {"active": active, "published": published})

    async def put_cryptokey(self, zone: str, key_id: int, body: JSON) -> None:
        """``PUT cryptokeys/{id}`` with ``body`` as given (PowerDNS checks it)."""
        path = f"/zones/{zone_id(zone)}/cryptokeys/{key_id}"
        await self._request("PUT", path, json=body, write=True)

    async def delete_cryptokey(self, zone: str, key_id: int) -> None:
        await self._request("DELETE", f"/zones/{zone_id(zone)}/cryptokeys/{key_id}", write=True)

    async def add_autoprimary(self, autoprimary: JSON) -> None:
        await self._request("POST", "/autoprimaries", json=autoprimary, write=True)

    async def delete_autoprimary(self, ip: str, nameserver: str) -> None:
        await self._request("DELETE", f"/autoprimaries/{ip}/{nameserver}", write=True)

    async def flush_cache(self, name: str) -> JSON:
        """Drop ``name`` (and what is below it) from the server's caches."""
        result: JSON = await self._request("PUT", "/cache/flush", params={"domain": name})
        return result

    async def axfr_retrieve(self, zone: str) -> JSON:
        """Ask a secondary zone to transfer from its primaries now."""
        result: JSON = await self._request("PUT", f"/zones/{zone_id(zone)}/axfr-retrieve")
        return result

    async def export_zone(self, zone: str) -> str:
        """The zone in zone-file (AXFR) format."""
        result: JSON = await self._request("GET", f"/zones/{zone_id(zone)}/export")
        return str(result["zone"])

    async def notify_zone(self, zone: str) -> JSON:
        """Queue NOTIFY messages to the zone's secondaries."""
        result: JSON = await self._request("PUT", f"/zones/{zone_id(zone)}/notify")
        return result

    # -- zone metadata and TSIG keys -------------------------------------------------------

    async def list_metadata(self, zone: str) -> list[JSON]:
        """Every metadata kind of the zone: ``[{"kind", "metadata": [values]}]``."""
        result: list[JSON] = await self._request("GET", f"/zones/{zone_id(zone)}/metadata")
        return result

    async def get_metadata(self, zone: str, kind: str) -> list[str]:
        """The values of one metadata kind ([] when it is not set)."""
        result: JSON = await self._request("GET", f"/zones/{zone_id(zone)}/metadata/{kind}")
        return [str(v) for v in result.get("metadata") or []]

    async def set_metadata(self, zone: str, kind: str, values: list[str]) -> None:
        """Replace the values of one metadata kind."""
        path = f"/zones/{zone_id(zone)}/metadata/{kind}"
        await self._request("PUT", path, json={"kind": kind, "metadata": values}, write=True)

    async def delete_metadata(self, zone: str, kind: str) -> None:
        """Remove one metadata kind."""
        await self._request("DELETE", f"/zones/{zone_id(zone)}/metadata/{kind}", write=True)

    async def list_tsigkeys(self) -> list[JSON]:
        """Every TSIG key (without secrets)."""
        result: list[JSON] = await self._request("GET", "/tsigkeys")
        return result

    async def get_tsigkey(self, key_id: str) -> JSON:
        """One TSIG key with its secret (``key``): never pass that on without a reason."""
        result: JSON = await self._request("GET", f"/tsigkeys/{zone_id(key_id)}")
        return result

    async def create_tsigkey(self, key: JSON) -> JSON:
        """Create a TSIG key (``name``, ``algorithm``, ``key``: the secret in base64)."""
        result: JSON = await self._request("POST", "/tsigkeys", json=key, write=True)
        return result

    async def update_tsigkey(self, key_id: str, changes: JSON) -> JSON:
        """Rename a TSIG key or change its ``algorithm`` or ``key`` (fields not given stay)."""
        path = f"/tsigkeys/{zone_id(key_id)}"
        result: JSON = await self._request("PUT", path, json=changes, write=True)
        return result

    async def delete_tsigkey(self, key_id: str) -> None:
        await self._request("DELETE", f"/tsigkeys/{zone_id(key_id)}", write=True)

    # -- transport -------------------------------------------------------------------------

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        json: JSON | None = None,
        content: bytes | None = None,
        write: bool = False,
    ) -> Any:
        """``json`` is encoded by httpx; ``content`` is a JSON body encoded already."""
        attempts = 1 + (self._write_retries if write else 1)
        for attempt in range(attempts):
            try:
                response = await self._send(
                    method, path, params=params, json=json, content=content, write=write
                )
            # Connect failures: nothing was sent, so the server cannot have applied anything.
            except httpx.ConnectTimeout as exc:
                raise errors.PowerDNSTimeout() from exc
            except httpx.ConnectError as exc:
                raise errors.PowerDNSUnreachable() from exc
            except httpx.TimeoutException as exc:
                raise errors.PowerDNSTimeout(maybe_applied=write) from exc
            except httpx.TransportError as exc:
                sent = json is not None or content is not None
                size = len(exc.request.content) if sent else 0
                if size > LARGE_REQUEST_BYTES:
                    # PowerDNS cuts the connection while a body beyond its limit arrives:
                    # the request is at fault, not the server, and a retry fails the same way.
                    raise errors.PowerDNSRejected(
                        f"PowerDNS closed the connection during a {size}-byte request: above "
                        "its request body limit (webserver-max-bodysize, 2 MB by default)"
                    ) from exc
                raise errors.PowerDNSUnreachable(maybe_applied=write) from exc
            except AttributeError as exc:
                # anyio 4 (under httpcore) fails so when the server resets the connection
                # right after accepting it (a PowerDNS stopping at that moment): the socket
                # is gone ("'NoneType' object has no attribute 'getpeername'").
                raise errors.PowerDNSUnreachable(maybe_applied=write) from exc
            if response.status_code >= 500 and attempt + 1 < attempts:
                # gsqlite3 "database is locked": nothing was applied, so retrying is safe.
                delay = self._retry_base * (2**attempt)
                log.warning(
                    "%s: %s %s got %s, retrying in %.2fs",
                    self.name,
                    method,
                    path,
                    response.status_code,
                    delay,
                )
                await asyncio.sleep(delay)
                continue
            return _decode(response)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _send(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None,
        json: JSON | None,
        write: bool,
        content: bytes | None = None,
    ) -> httpx.Response:
        """One HTTP exchange. A write cancelled while in flight (a straggler left behind by
        the fan-out, a shutdown) still runs to its end (answer or timeout) before the
        cancellation goes on: PowerDNS may apply it anyway, and the caller's write lock must
        stay held until then, so no later change to that server can land before it."""
        request = httpx.Request(
            method,
            self._base + path,
            params=params,
            json=json,
            content=content,
            headers=self._headers if content is None else self._json_headers,
            extensions={"timeout": self._timeouts},
        )
        exchange = asyncio.ensure_future(self._exchange(request))
        self._in_flight[exchange] = time.monotonic()
        exchange.add_done_callback(self._exchanged)
        try:
            return await asyncio.shield(exchange)
        except asyncio.CancelledError:
            if not write:
                exchange.cancel()
            await asyncio.wait([exchange])
            if not exchange.cancelled():
                exchange.exception()  # retrieved: the outcome no longer matters to anyone
            raise

    async def _exchange(self, request: httpx.Request) -> httpx.Response:
        if self._http is not None:
            return await self._http.send(request)
        assert self._transport is not None
        response = await self._transport.handle_async_request(request)
        response.request = request
        try:
            await response.aread()
        finally:
            await response.aclose()
        return response

    def _exchanged(self, exchange: asyncio.Future[httpx.Response]) -> None:
        self._in_flight.pop(exchange, None)
        if not exchange.cancelled() and exchange.exception() is None:
            self._answered_at = time.monotonic()


def _query(name: str) -> str:
    """search-data's ``q`` for the absolute ``name`` (PowerDNS matches it without the dot)."""
    return name.rstrip(".") or "."


def _found_at(found: JSON, name: str, zone: str) -> bool:
    """Whether a search-data object is at the absolute ``name`` of the absolute ``zone``."""
    return fqdn(found["name"]) == name and fqdn(str(found.get("zone", ""))) == zone


def _rrsets_at(
    data: JSON, found: list[JSON], *, zone: str, name: str, rtype: str | None
) -> list[JSON]:
    """The RRsets at ``name`` (of ``rtype``) with every record, disabled ones included.

    ``data`` is PowerDNS's filtered answer (TTLs, comments, enabled records only), ``found``
    the search-data records (any name or content matching, disabled ones too).
    """
    zone = fqdn(zone)
    rrsets: dict[str, JSON] = {}
    for rrset in data.get("rrsets", []):
        if fqdn(rrset["name"]) == name and rrset.get("records"):
            rrsets[rrset["type"]] = {**rrset, "records": list(rrset["records"])}
    comments = {r["type"]: r.get("comments", []) for r in data.get("rrsets", [])
                if fqdn(r["name"]) == name}  # fmt: skip
    for record in found:
        if not _found_at(record, name, zone):
            continue
        if rtype is not None and record["type"] != rtype:
            continue
        rrset = rrsets.setdefault(record["type"], {
            "name": name, "type": record["type"], "ttl": record["ttl"], "records": [],
            "comments": comments.get(record["type"], []),
        })  # fmt: skip
        if all(r["content"] != record["content"] for r in rrset["records"]):
            rrset["records"].append(
                {"content": record["content"], "disabled": bool(record.get("disabled"))}
            )
    return list(rrsets.values())


def encode_patch(rrsets: list[JSON]) -> bytes:
    """The body of ``patch_rrsets(zone, rrsets)``, byte for byte as httpx would encode it."""
    # check_circular=False: the same text, 15 % sooner; a PATCH is built fresh, no cycles.
    text = jsonlib.dumps(
        {"rrsets": rrsets},
        ensure_ascii=False,
        separators=(",", ":"),
        allow_nan=False,
        check_circular=False,
    )
    return text.encode("utf-8")


def _decode(response: httpx.Response) -> Any:
    status = response.status_code
    if status < 300:
        if status == 204 or not response.content:
            return None
        return response.json()
    reason = _error_text(response)
    if status in (401, 403):
        raise errors.PowerDNSAuthError(status=status)
    if status == 404:
        raise errors.PowerDNSNotFound(status=status)
    if status == 409:
        raise errors.PowerDNSConflict(status=status)
    if status in (400, 422):
        raise errors.PowerDNSRejected(reason or None, status=status)
    raise errors.PowerDNSServerError(
        f"PowerDNS error {status}: {reason}" if reason else None, status=status
    )


def _error_text(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:300]
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return str(body["error"])
    return str(body)[:300]
