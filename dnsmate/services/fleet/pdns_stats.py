"""PowerDNS's own figures per server (``GET /statistics``): uptime, queries, cache hit rates.

Read from every configured server at once, each within a deadline: a server that does not
answer in time is reported ``not_answering`` and never holds up the others (as the health
page). Counters are PowerDNS's since its start; rates are hits / (hits + misses).
"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.powerdns.client import JSON, PowerDNSClient
from dnsmate.powerdns.errors import PowerDNSError
from dnsmate.services.fleet.server_health import failure_state, silent_after
from dnsmate.services.fleet.servers import ClientPool, list_servers


def _figures(items: list[JSON]) -> dict[str, Any]:
    """The dashboard's figures from PowerDNS's statistic items."""
    values: dict[str, int] = {}
    for item in items:
        if item.get("type") == "StatisticItem":
            try:
                values[str(item["name"])] = int(item["value"])
            except (KeyError, TypeError, ValueError):
                continue

    def rate(hit: str, miss: str) -> float | None:
        total = values.get(hit, 0) + values.get(miss, 0)
        return round(values.get(hit, 0) / total, 4) if total else None

    return {
        "uptime_seconds": values.get("uptime"),
        "udp_queries": values.get("udp-queries"),
        "tcp_queries": values.get("tcp-queries"),
        "packet_cache_hit_rate": rate("packetcache-hit", "packetcache-miss"),
        "query_cache_hit_rate": rate("query-cache-hit", "query-cache-miss"),
        "latency_us": values.get("latency"),
    }


async def _read(client: PowerDNSClient) -> dict[str, Any]:
    try:
        items = await client.statistics({"includerings": "false"})
    except PowerDNSError as exc:
        return {"state": failure_state(exc), "error": str(exc)}
    return {"state": "ok", "error": None, **_figures(items)}


async def powerdns_figures(
    *, session: AsyncSession, pool: ClientPool, deadline_seconds: float
) -> list[dict[str, Any]]:
    """Every configured server's own figures, within ``deadline_seconds`` in all."""
    rows = await list_servers(session)
    tasks = [asyncio.ensure_future(_read(pool.client(row))) for row in rows]
    if tasks:
        await asyncio.wait(tasks, timeout=deadline_seconds)
    silent = {"state": "not_answering", "error": silent_after(deadline_seconds)}
    figures = []
    for row, task in zip(rows, tasks, strict=True):
        if task.done():
            found = task.result()
        else:
            task.cancel()  # a read: nothing to finish
            found = silent
        figures.append({"server_id": row.id, "name": row.name, **found})
    return figures
