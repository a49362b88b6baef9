"""PowerDNS client error translation and retries (httpx MockTransport)."""

from __future__ import annotations

import httpx
import pytest

from dnsmate.powerdns import errors
from dnsmate.powerdns.client import PowerDNSClient, encode_patch


def client(handler: httpx.MockTransport, retries: int = 3) -> PowerDNSClient:
    return PowerDNSClient(
        name="P",
        api_url="http://pdns.invalid/",
        api_key="secret",
        transport=handler,
        write_retries=retries,
        retry_base_seconds=0,
    )


@pytest.mark.parametrize(
    ("status", "body", "error", "message"),
    [
        (401, {"error": "Unauthorized"}, errors.PowerDNSAuthError, "API key invalid"),
        (404, {"error": "Not Found"}, errors.PowerDNSNotFound, "Zone not found"),
        (409, {"error": "Conflict"}, errors.PowerDNSConflict, "Zone already exists"),
        (422, {"error": "RRset x. IN A: bad"}, errors.PowerDNSRejected, "RRset x. IN A: bad"),
    ],
)
async def test_http_errors_become_typed_errors(
    status: int, body: dict[str, str], error: type[errors.PowerDNSError], message: str
) -> None:
    pdns = client(httpx.MockTransport(lambda request: httpx.Response(status, json=body)))
    with pytest.raises(error) as caught:
        await pdns.get_zone("example.com")
    assert str(caught.value) == message


async def test_requests_carry_key_accept_header_and_escaped_zone_id() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"rrsets": []})

    await client(httpx.MockTransport(handler)).get_zone("_x.Example.com")
    assert seen[0].headers["X-API-Key"] == "secret"
    assert seen[0].headers["Accept"] == "application/json"
    assert seen[0].url.raw_path.decode() == "/api/v1/servers/localhost/zones/=5Fx.example.com."


async def test_database_locked_writes_are_retried() -> None:
    answers = [httpx.Response(500, json={"error": "database is locked"})] * 2 + [
        httpx.Response(204)
    ]
    pdns = client(httpx.MockTransport(lambda request: answers.pop(0)))
    await pdns.patch_rrsets("example.com", [])
    assert answers == []


async def test_persistent_server_error_is_reported_after_retries() -> None:
    pdns = client(httpx.MockTransport(lambda request: httpx.Response(500, text="boom")), retries=1)
    with pytest.raises(errors.PowerDNSServerError, match="boom"):
        await pdns.patch_rrsets("example.com", [])


async def test_timeouts_and_refusals_have_short_messages() -> None:
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(errors.PowerDNSTimeout, match="Connection timeout"):
        await client(httpx.MockTransport(timeout)).server_info()


async def test_a_connection_reset_while_connecting_is_unreachable_not_a_crash() -> None:
    """anyio raises AttributeError when the socket vanished right after connect (seen
    when PowerDNS stops at that moment); it must be a server failure, not a 500."""

    def reset(request: httpx.Request) -> httpx.Response:
        raise AttributeError("'NoneType' object has no attribute 'getpeername'")

    with pytest.raises(errors.PowerDNSUnreachable) as caught:
        await client(httpx.MockTransport(reset)).patch_rrsets("example.com", [])
    assert caught.value.maybe_applied
    with pytest.raises(errors.PowerDNSUnreachable) as caught:
        await client(httpx.MockTransport(reset)).server_info()
    assert not caught.value.maybe_applied


async def test_a_transport_error_on_a_large_request_is_a_data_error() -> None:
    def cut(request: httpx.Request) -> httpx.Response:
        raise httpx.WriteError("connection reset by peer", request=request)

    pdns = client(httpx.MockTransport(cut))
    small = [{"name": "a.example.com.", "type": "TXT", "changetype": "REPLACE",
              "records": [{"content": '"x"', "disabled": False}]}]  # fmt: skip
    with pytest.raises(errors.PowerDNSUnreachable):
        await pdns.patch_rrsets("example.com", small)
    big = [{**small[0], "records": [{"content": '"' + "x" * 2_100_000 + '"', "disabled": False}]}]
    with pytest.raises(errors.PowerDNSRejected, match="webserver-max-bodysize"):
        await pdns.patch_rrsets("example.com", big)


@pytest.mark.parametrize(("disabled", "paths"), [
    (True, ["/zones/example.com.", "/search-data"]),
    (False, ["/zones/example.com."]),
])  # fmt: skip
async def test_a_name_read_asks_search_data_for_disabled_records_unless_told_not_to(
    disabled: bool, paths: list[str]
) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path.removeprefix("/api/v1/servers/localhost"))
        if request.url.path.endswith("/search-data"):
            return httpx.Response(200, json=[{"object_type": "record", "name": "www.example.com.",
                "type": "A", "ttl": 60, "content": "192.0.2.9", "disabled": True,
                "zone": "example.com."}])  # fmt: skip
        return httpx.Response(200, json={"rrsets": [{"name": "www.example.com.", "type": "A",
            "ttl": 60, "records": [{"content": "192.0.2.1", "disabled": False}],
            "comments": []}]})  # fmt: skip

    pdns = client(httpx.MockTransport(handler))
    rrset = await pdns.get_rrset("example.com", "www.example.com.", "A", disabled=disabled)
    assert sorted(seen) == sorted(paths)
    assert rrset is not None
    contents = {(r["content"], r["disabled"]) for r in rrset["records"]}
    expected = {("192.0.2.1", False)} | ({("192.0.2.9", True)} if disabled else set())
    assert contents == expected


async def test_a_zone_whose_records_search_data_does_not_list_is_read_with_the_get() -> None:
    # A backend without search (search-data answers nothing, not even the zone's SOA): a
    # write's name read must not take that silence for an empty name, which a create would
    # then overwrite; it keeps reading with the filtered GET.
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path.rsplit("/", 1)[-1])
        if request.url.path.endswith("/search-data"):
            return httpx.Response(200, json=[])
        return httpx.Response(200, json={"rrsets": [{"name": "www.example.com.", "type": "A",
            "ttl": 60, "records": [{"content": "192.0.2.1", "disabled": False}],
            "comments": []}]})  # fmt: skip

    pdns = client(httpx.MockTransport(handler))
    for _ in range(2):
        seen.clear()
        got = await pdns.read_name("example.com", "www.example.com.", absent_ok=True)
        assert [r["records"] for r in got] == [[{"content": "192.0.2.1", "disabled": False}]]
        assert "example.com." in seen, seen
    assert sorted(seen) == ["example.com.", "search-data"]  # the SOA was asked for once


async def test_a_patch_encoded_once_sends_the_bytes_httpx_would_send() -> None:
    # Bulk changes encode their PATCH once for every server in step (encode_patch).
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    pdns = client(httpx.MockTransport(handler))
    rrsets = [{"name": "ä.example.com.", "type": "TXT", "ttl": 60, "changetype": "REPLACE",
               "records": [{"content": '"café"', "disabled": False}]}]  # fmt: skip
    await pdns.patch_rrsets("example.com", rrsets)
    await pdns.patch_rrsets("example.com", encode_patch(rrsets))

    by_json, encoded = seen
    assert encoded.content == by_json.content
    assert encoded.headers["Content-Type"] == by_json.headers["Content-Type"] == "application/json"
    assert encoded.method == "PATCH" and encoded.url == by_json.url


async def test_an_encoded_patch_too_large_is_a_data_error_and_retried_like_any_write() -> None:
    def cut(request: httpx.Request) -> httpx.Response:
        raise httpx.WriteError("connection reset by peer", request=request)

    big = [{"name": "a.example.com.", "type": "TXT", "changetype": "REPLACE",
            "records": [{"content": '"' + "x" * 2_100_000 + '"', "disabled": False}]}]  # fmt: skip
    with pytest.raises(errors.PowerDNSRejected, match="webserver-max-bodysize"):
        await client(httpx.MockTransport(cut)).patch_rrsets("example.com", encode_patch(big))
    answers = [httpx.Response(500, json={"error": "database is locked"}), httpx.Response(204)]
    pdns = client(httpx.MockTransport(lambda request: answers.pop(0)))
    await pdns.patch_rrsets("example.com", encode_patch([]))
    assert answers == []
