"""Write throughput through nginx against 1, 2 and 3 DNSMate processes on PostgreSQL.

Run with ``make bench`` or ``.venv/bin/python bench/scaleout.py [--seconds S] [--writers W]``.
The deployment is the one tests/deploy runs: the shipped nginx site over TLS in front of N
``dnsmate serve`` processes (deploy/dnsmate.env.example's settings), on a PostgreSQL
instance of the benchmark's own (initdb in a temporary directory; the machine's cluster is
never touched), writing to three real PowerDNS servers (gsqlite3) in multi-server mode.
W concurrent writers, each on its own zone, add new records for S seconds.

In the same run, the raw PowerDNS limit: the same W writers adding records straight to the
three servers the careful way (GET the RRset, PATCH it; one write at a time per server,
since gsqlite3 fails concurrent writes), and without the serialization (with its failures).
The series alternate (raw, 1, 2, 3 processes, then again) so that a change of the
machine's load hits every series; ratios of one run are what count.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
from fanout import add_server
from write_load import Crowd, RawServer, crowd, raw_write

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the deployment helpers of tests/deploy

from dnsmate.dev.pdns_local import LocalPowerDNS  # noqa: E402
from tests.deploy.layout import Deployment, deployed, deployment_environment  # noqa: E402
from tests.deploy.postgres import BIN, DATABASE, LocalPostgres  # noqa: E402

NS = ["ns1.example.net."]


def reset_database(postgres: LocalPostgres) -> None:
    """An empty database for the next deployment (each starts from scratch)."""
    for statement in (f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)",
                      f"CREATE DATABASE {DATABASE}"):  # fmt: skip
        subprocess.run(
            [str(BIN / "psql"), "--no-psqlrc", "-q", "-h", "127.0.0.1", "-p", str(postgres.port),
             "-U", "postgres", "-d", "postgres", "-c", statement],
            check=True, capture_output=True,
        )  # fmt: skip


async def prepare(deployment: Deployment, pdns: list[LocalPowerDNS], zones: list[str]) -> str:
    """Register the servers and create the zones; returns an admin token."""
    token = deployment.login()
    async with deployment.nginx.client(token=token) as admin:
        for i, server in enumerate(pdns):
            await add_server(admin, server, multi=True, is_default=i == 0)
        for zone in zones:
            answer = await admin.post(
                "/api/zones", json={"name": zone, "kind": "Native", "nameservers": NS}
            )
            answer.raise_for_status()
    return token


async def through_nginx(
    deployment: Deployment, token: str, zones: list[str], seconds: float
) -> Crowd:
    clients = [deployment.nginx.client(token=token) for _ in zones]
    counter = [0]

    async def write(writer: int, n: int) -> str:
        counter[0] += 1
        try:
            answer = await clients[writer].post(
                f"/api/records/{zones[writer]}",
                json={"name": f"b{counter[0]}", "type": "A", "content": "192.0.2.1", "ttl": 300},
            )
        except httpx.TransportError as exc:
            return type(exc).__name__
        return "ok" if answer.status_code == 201 else str(answer.status_code)

    try:
        return await crowd(len(zones), seconds, write)
    finally:
        for client in clients:
            await client.aclose()


async def raw(servers: list[RawServer], zones: list[str], seconds: float, serialize: bool) -> Crowd:
    counter = [0]

    async def write(writer: int, n: int) -> str:
        counter[0] += 1
        done = await raw_write(servers, zones[writer], f"r{counter[0]}.{zones[writer]}",
                               serialize=serialize, writer=writer)  # fmt: skip
        return "ok" if done else "failed"

    return await crowd(len(zones), seconds, write)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per series and round")
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dnsmate-scaleout-") as tmp:
        base = Path(tmp)
        pdns = [LocalPowerDNS(name=f"PowerDNS {i}", workdir=base / f"pdns{i}",
                              api_key=secrets.token_urlsafe(16)) for i in (1, 2, 3)]  # fmt: skip
        postgres = LocalPostgres()
        for server in pdns:
            server.start()
        postgres.start()
        results: dict[str, Crowd] = {}
        try:
            raw_servers = [RawServer(s) for s in pdns]
            raw_zones = [f"raw{i}-{secrets.token_hex(3)}.example." for i in range(options.writers)]
            for zone in raw_zones:
                await asyncio.gather(*(s.create_zone(zone) for s in raw_servers))
            for round_ in range(options.rounds):
                for label, serialize in (("raw, serialized per server", True),
                                         ("raw, unserialized", False)):  # fmt: skip
                    got = await raw(raw_servers, raw_zones, options.seconds, serialize)
                    results[label] = results[label].merge(got) if label in results else got
                    print(f"round {round_ + 1} {label}: {got.describe()}", flush=True)
                for count in (1, 2, 3):
                    reset_database(postgres)
                    environment = deployment_environment(postgres.url, DNSMATE_LOG_LEVEL="WARNING")
                    workdir = base / f"round{round_}-{count}"
                    with deployed(workdir, count=count, environment=environment) as deployment:
                        zones = [f"p{count}w{i}-{secrets.token_hex(3)}.example"
                                 for i in range(options.writers)]  # fmt: skip
                        token = await prepare(deployment, pdns, zones)
                        got = await through_nginx(deployment, token, zones, options.seconds)
                    label = f"DNSMate x{count} via nginx"
                    results[label] = results[label].merge(got) if label in results else got
                    print(f"round {round_ + 1} {label}: {got.describe()}", flush=True)
            for server in raw_servers:
                await server.aclose()
        finally:
            postgres.stop()
            for server in pdns:
                server.stop()
    print(f"\n{options.writers} writers, {options.rounds} rounds of {options.seconds:.0f} s:")
    floor = results["raw, serialized per server"].per_second
    for label, got in results.items():
        print(
            f"  {label:<28} {got.per_second:7.1f} writes/s  ({got.per_second / floor:4.2f} x raw "
            f"serialized)  p50 {got.p(0.5):5.0f} ms  p99 {got.p(0.99):6.0f} ms  "
            f"failed {got.failed}"
        )


if __name__ == "__main__":
    asyncio.run(main())
