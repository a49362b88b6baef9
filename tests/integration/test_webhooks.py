"""Signed webhooks against a real HTTP receiver on loopback: deliveries signed as the
README says, retried from the outbox while the receiver is down and delivered when it comes
back, a test delivery, write, partial-failure and server down/up events; the secret is
shown once and never again (responses, logs)."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS, free_port
from dnsmate.services.sync.monitor import check_drift
from tests.conftest import Api, ApiFactory
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.syncutil import add, create_zone, pdns_api, recover, sync_api

EVENTS = ["record.changed", "write.partial", "server.down", "server.up"]


class Receiver:
    """A webhook receiver on a loopback port that can be stopped and started again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[tuple[dict[str, str], bytes]] = []
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> None:
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"thanks")

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def events(self) -> list[str]:
        return [headers["x-dnsmate-event"] for headers, _ in self.received]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    server.start()
    yield server
    server.stop()


def verify(secret: str, headers: dict[str, str], body: bytes) -> dict[str, Any]:
    """What the README tells a receiver to do: recompute the HMAC over "timestamp.body"."""
    timestamp = headers["x-dnsmate-timestamp"]
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    assert hmac.compare_digest(headers["x-dnsmate-signature"], "sha256=" + expected.hexdigest())
    data: dict[str, Any] = json.loads(body)
    return data


async def _deliveries(api: Api, hook_id: int) -> list[dict[str, Any]]:
    response = await api.client.get(f"/api/webhooks/{hook_id}/deliveries")
    assert response.status_code == 200, response.text
    return list(response.json())


async def test_signed_deliveries_survive_a_receiver_outage(
    api_factory: ApiFactory,
    sqlite_url: str,
    pdns: list[LocalPowerDNS],
    receiver: Receiver,
    caplog: pytest.LogCaptureFixture,
) -> None:
    api = await sync_api(api_factory, sqlite_url, webhook_dispatcher=False,
                         webhook_retry_base_seconds=0, breaker_failure_threshold=1)  # fmt: skip
    dispatcher = api.app.state.webhooks
    await register_servers(api.client, pdns[:2], (True, True))
    created = await api.client.post(
        "/api/webhooks", json={"name": "ops", "url": receiver.url, "events": EVENTS}
    )
    assert created.status_code == 201, created.text
    hook, secret = created.json(), created.json()["secret"]
    assert secret.startswith("whsec_") and len(secret) > 30
    listed = await api.client.get("/api/webhooks")
    assert listed.status_code == 200 and secret not in listed.text and "secret" not in listed.text

    zone = unique_zone("hooks")
    assert (await create_zone(api, zone)).status_code == 201  # zone.changed: not subscribed
    assert (await add(api, zone, "www", "A", "192.0.2.1")).status_code == 201
    assert await dispatcher.run_once() == 1
    [(headers, body)] = receiver.received
    envelope = verify(secret, headers, body)
    assert envelope["event"] == "record.changed" == headers["x-dnsmate-event"]
    assert envelope["data"]["zone"] == zone and envelope["data"]["status"] == 200
    assert envelope["data"]["action"] == "record.create"

    # The receiver is down: the delivery stays in the outbox with its error ...
    receiver.stop()
    assert (await add(api, zone, "mail", "A", "192.0.2.2")).status_code == 201
    assert await dispatcher.run_once() == 1
    [pending, delivered] = await _deliveries(api, hook["id"])
    assert delivered["status"] == "delivered" and delivered["last_status_code"] == 200
    assert pending["status"] == "pending" and pending["attempts"] == 1
    assert "ConnectError" in pending["last_error"]
    # ... and is delivered, signed, once it is back.
    receiver.start()
    assert await dispatcher.run_once() == 1
    [again, _] = await _deliveries(api, hook["id"])
    assert (again["status"], again["attempts"], again["last_response"]) == (
        "delivered",
        2,
        "thanks",
    )
    assert verify(secret, *receiver.received[-1])["data"]["zone"] == zone
    assert receiver.events() == ["record.changed", "record.changed"]

    # "Send test" from Settings.
    test = await api.client.post(f"/api/webhooks/{hook['id']}/test")
    assert test.status_code == 202, test.text
    await dispatcher.run_once()
    assert verify(secret, *receiver.received[-1])["event"] == "webhook.test"

    # A partial failure: the server that missed it goes down (breaker opens), then up.
    pdns[1].stop()
    partial = await add(api, zone, "ftp", "A", "192.0.2.3")
    assert partial.status_code == 207, partial.text
    await dispatcher.run_once()
    assert sorted(receiver.events()[-3:]) == ["record.changed", "server.down", "write.partial"]
    [down] = [verify(secret, h, b) for h, b in receiver.received[-3:]
              if h["x-dnsmate-event"] == "server.down"]  # fmt: skip
    assert down["data"]["server"] == pdns[1].name and down["data"]["state"] == "open"
    pdns[1].start()
    await recover(api)
    await dispatcher.run_once()
    assert receiver.events()[-1] == "server.up"

    assert all(secret not in record.getMessage() for record in caplog.records)


async def test_endpoints_are_validated_and_a_failing_one_is_given_up(
    api_factory: ApiFactory, sqlite_url: str, receiver: Receiver
) -> None:
    api = await sync_api(api_factory, sqlite_url, webhook_dispatcher=False,
                         webhook_retry_base_seconds=0, webhook_max_attempts=2)  # fmt: skip
    bad_url = await api.client.post(
        "/api/webhooks", json={"name": "x", "url": "ftp://example.com/", "events": EVENTS}
    )
    assert bad_url.status_code == 422
    bad_event = await api.client.post(
        "/api/webhooks", json={"name": "x", "url": receiver.url, "events": ["nope"]}
    )
    assert bad_event.status_code == 422
    receiver.stop()
    hook = (
        await api.client.post(
            "/api/webhooks", json={"name": "gone", "url": receiver.url, "events": EVENTS}
        )
    ).json()
    await api.client.post(f"/api/webhooks/{hook['id']}/test")
    dispatcher = api.app.state.webhooks
    await dispatcher.run_once()
    await dispatcher.run_once()
    [delivery] = await _deliveries(api, hook["id"])
    assert (delivery["status"], delivery["attempts"]) == ("failed", 2)
    assert await dispatcher.run_once() == 0  # given up: no more attempts
    listed = (await api.client.get("/api/webhooks")).json()
    assert [(h["name"], h["failed"]) for h in listed] == [("gone", 1)]


async def test_drift_and_parked_changes_are_reported_once(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS], receiver: Receiver
) -> None:
    api = await sync_api(api_factory, sqlite_url, webhook_dispatcher=False)
    dispatcher = api.app.state.webhooks
    await register_servers(api.client, pdns[:2], (True, True))
    body = {"name": "drift", "url": receiver.url, "events": ["drift.detected", "queue.parked"]}
    secret = (await api.client.post("/api/webhooks", json=body)).json()["secret"]
    zone, gone = unique_zone("drifting"), unique_zone("gone")
    for name in (zone, gone):
        assert (await create_zone(api, name)).status_code == 201

    # Drift made behind DNSMate's back is reported by the periodic check, once.
    async with pdns_api(pdns[1]) as client:
        rrset = {"name": f"www.{zone}.", "type": "A", "ttl": 300, "changetype": "REPLACE",
                 "records": [{"content": "203.0.113.9", "disabled": False}]}  # fmt: skip
        assert (await client.patch(f"/zones/{zone}.", json={"rrsets": [rrset]})).is_success
    assert await check_drift(runtime=api.context.sync)
    await dispatcher.run_once()
    [drift] = [verify(secret, h, b) for h, b in receiver.received]
    assert drift["event"] == "drift.detected"
    # (Zones other tests left on these shared servers may be listed too.)
    mine = [(z["zone"], z["drifted_on"]) for z in drift["data"]["zones"] if z["zone"] == zone]
    assert mine == [(zone, [pdns[1].name])]
    assert await check_drift(runtime=api.context.sync)  # still drifted: nothing new
    assert await dispatcher.run_once() == 0

    # A queued change whose zone vanished from its server is parked: reported too.
    pdns[1].stop()
    assert (await add(api, gone, "www", "A", "192.0.2.1")).status_code == 207
    pdns[1].start()
    async with pdns_api(pdns[1]) as client:
        assert (await client.delete(f"/zones/{gone}.")).is_success
    assert (await recover(api)).parked == 1
    await dispatcher.run_once()
    parked = verify(secret, *receiver.received[-1])
    assert parked["event"] == "queue.parked"
    assert parked["data"]["zone"] == gone and parked["data"]["server"] == pdns[1].name
    assert parked["data"]["lines"][0]["name"] == f"www.{gone}"


class EndlessReceiver:
    """Answers 200 and then a body that never ends: a megabyte of it at once, then the
    connection stays open (until the test ends) without another byte."""

    def __init__(self) -> None:
        self.port = free_port()
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", self.port))
        self._sock.listen(5)
        self._done = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def _serve(self) -> None:
        with contextlib.suppress(OSError):
            while not self._done.is_set():
                conn, _addr = self._sock.accept()
                threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
            conn.sendall(head + b"Content-Length: 1000000000\r\n\r\n" + b"x" * 1_000_000)
            self._done.wait()

    def close(self) -> None:
        self._done.set()
        self._sock.close()


async def test_an_endless_answer_is_read_only_as_far_as_the_log_keeps_it(
    api_factory: ApiFactory, sqlite_url: str
) -> None:
    """A receiver whose answer never ends must not hold the sender (and every other
    endpoint's deliveries) nor fill its memory: the status counts, the start is kept."""
    api = await sync_api(api_factory, sqlite_url, webhook_dispatcher=False,
                         webhook_timeout_seconds=1)  # fmt: skip
    endless = EndlessReceiver()
    try:
        hook = (
            await api.client.post(
                "/api/webhooks", json={"name": "endless", "url": endless.url, "events": EVENTS}
            )
        ).json()
        assert (await api.client.post(f"/api/webhooks/{hook['id']}/test")).status_code == 202
        assert await asyncio.wait_for(api.app.state.webhooks.run_once(), 60) == 1
    finally:
        endless.close()
    [delivery] = await _deliveries(api, hook["id"])
    assert (delivery["status"], delivery["last_status_code"]) == ("delivered", 200), delivery
    assert delivery["last_response"] == "x" * 500
