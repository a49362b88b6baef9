"""Target selection and result aggregation (fakes only; real servers in tests/integration)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx
import pytest

from dnsmate.api.results import multi_response
from dnsmate.powerdns.client import PowerDNSClient
from dnsmate.powerdns.errors import PowerDNSConflict, PowerDNSUnreachable
from dnsmate.services.errors import NoServerAvailable
from dnsmate.services.write.changes import DeleteZone, ServerChange
from dnsmate.services.write.multi_powerdns import (
    MultiPowerDNSResult,
    MultiPowerDNSService,
    ServerResult,
    select_targets,
)
from dnsmate.services.write.outcome import WriteOutcome
from dnsmate.services.write.settle import settle


@dataclass
class FakeServer:
    id: int
    name: str
    is_default: bool = False
    is_active: bool = True
    multi_server_mode: bool = False


def names(servers: list[FakeServer]) -> list[str]:
    return [s.name for s in servers]


def test_scenario_1_all_multi_servers_are_targets_default_first() -> None:
    servers = [
        FakeServer(1, "A", multi_server_mode=True),
        FakeServer(2, "B", True, True, True),
        FakeServer(3, "C", multi_server_mode=True),
    ]
    assert names(select_targets(servers)) == ["B", "A", "C"]


def test_scenario_2_only_multi_servers_are_targets() -> None:
    servers = [
        FakeServer(1, "Primary", True, multi_server_mode=True),
        FakeServer(2, "Secondary", multi_server_mode=True),
        FakeServer(3, "Legacy"),
    ]
    assert names(select_targets(servers)) == ["Primary", "Secondary"]


def test_scenario_3_default_alone_when_no_multi_server() -> None:
    servers = [FakeServer(1, "A"), FakeServer(2, "B", is_default=True), FakeServer(3, "C")]
    assert names(select_targets(servers)) == ["B"]


def test_inactive_multi_servers_are_not_targets() -> None:
    servers = [
        FakeServer(1, "A", True),
        FakeServer(2, "B", is_active=False, multi_server_mode=True),
    ]
    assert names(select_targets(servers)) == ["A"]


def test_no_servers_or_inactive_default_raise() -> None:
    with pytest.raises(NoServerAvailable, match="POST /api/settings/powerdns"):
        select_targets([])
    with pytest.raises(NoServerAvailable, match="default"):
        select_targets([FakeServer(1, "A", is_default=True, is_active=False)])


def result(*outcomes: str | None) -> WriteOutcome:
    """A settled write on servers S1, S2, ...; None means success, a string is the error."""
    results = [
        ServerResult(f"S{i}", error is None, error, 1.0, ServerChange(True), server_id=i)
        for i, error in enumerate(outcomes, 1)
    ]
    return settled(results)


def settled(results: list[ServerResult[ServerChange]]) -> WriteOutcome:
    """The outcome of a write with these results under the ``report`` policy."""
    change = DeleteZone(zone="example.com.")
    return WriteOutcome(change, MultiPowerDNSResult(results), settle(results, "report"))


def test_partial_success_is_207_with_top_level_keys() -> None:
    response = multi_response(
        result(None, None, "Connection timeout"),
        action="create",
        noun="Record",
        body={"name": "a.example.com"},
        success_status=201,
    )
    assert response.status_code == 207
    body = httpx.Response(207, content=response.body).json()
    assert body["message"] == "Record created on 2/3 servers"
    assert body["success_servers"] == ["S1", "S2"]
    assert body["failed_servers"] == ["S3: Connection timeout"]
    assert body["partial_success"] is True
    assert "detail" not in body


def test_total_failure_is_400_and_all_success_is_the_given_status() -> None:
    failed = multi_response(
        result("API key invalid", "Server unreachable"), action="delete", noun="Zone", body={}
    )
    ok = multi_response(
        result(None), action="create", noun="Zone", body={"name": "z"}, success_status=201
    )
    body = httpx.Response(400, content=failed.body).json()
    assert failed.status_code == 400
    assert body["message"] == "Failed to delete zone on all PowerDNS servers"
    assert body["errors"] == ["S1: API key invalid", "S2: Server unreachable"]
    assert ok.status_code == 201


def test_same_data_error_everywhere_keeps_its_status() -> None:
    conflict = settled(
        [ServerResult("S1", False, "Zone already exists", exc=PowerDNSConflict(), server_id=1)]
    )
    response = multi_response(conflict, action="create", noun="Zone", body={})
    assert response.status_code == 409


def fake_client(name: str, handler: httpx.MockTransport) -> PowerDNSClient:
    return PowerDNSClient(name=name, api_url="http://pdns.invalid", api_key="k", transport=handler)


async def test_execute_runs_concurrently_and_isolates_failures() -> None:
    ok = httpx.MockTransport(lambda request: httpx.Response(200, json={"version": "4.7.3"}))

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    service = MultiPowerDNSService(
        [fake_client("A", ok), fake_client("B", httpx.MockTransport(refuse))]
    )
    outcome = await service.execute(lambda c: c.server_info())
    assert outcome.success_servers == ["A"]
    assert outcome.failed_servers == ["B: Server unreachable"]
    assert isinstance(outcome.results[1].exc, PowerDNSUnreachable)


async def test_read_falls_back_to_the_next_target() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    ok = httpx.MockTransport(lambda request: httpx.Response(200, json=[{"name": "x."}]))
    service = MultiPowerDNSService(
        [fake_client("A", httpx.MockTransport(refuse)), fake_client("B", ok)]
    )
    assert await service.read(lambda c: c.list_zones()) == [{"name": "x."}]


async def test_an_unexpected_error_waits_for_the_other_servers_writes() -> None:
    finished: list[str] = []
    second_started = asyncio.Event()

    async def operation(client: PowerDNSClient) -> None:
        if client.name == "A":
            await second_started.wait()
            raise RuntimeError("a bug on A")
        second_started.set()
        await asyncio.sleep(0.01)  # B's write is still in flight when A fails
        finished.append(client.name)
        raise RuntimeError("a bug on B too")

    service = MultiPowerDNSService(
        [fake_client(name, httpx.MockTransport(lambda r: httpx.Response(200))) for name in "AB"]
    )
    with pytest.raises(RuntimeError, match="a bug on A"):
        await service.execute(operation)
    # B's write ran to its end (not abandoned mid-request), its error retrieved.
    assert finished == ["B"]
