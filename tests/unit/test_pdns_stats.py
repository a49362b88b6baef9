"""PowerDNS's statistic items turned into the dashboard's figures (real servers, with their
caches off, in tests/integration/test_server_health.py)."""

from __future__ import annotations

from dnsmate.services.fleet.pdns_stats import _figures


def item(name: str, value: str) -> dict[str, str]:
    return {"name": name, "type": "StatisticItem", "value": value}


def test_cache_hit_rates_are_hits_over_lookups() -> None:
    figures = _figures([
        item("uptime", "3700"), item("udp-queries", "90"), item("tcp-queries", "10"),
        item("packetcache-hit", "30"), item("packetcache-miss", "70"),
        item("query-cache-hit", "1"), item("query-cache-miss", "3"),
        {"name": "response-by-qtype", "type": "MapStatisticItem", "value": []},
    ])  # fmt: skip

    assert figures["uptime_seconds"] == 3700
    assert figures["udp_queries"] + figures["tcp_queries"] == 100
    assert figures["packet_cache_hit_rate"] == 0.3
    assert figures["query_cache_hit_rate"] == 0.25


def test_no_lookups_no_rate() -> None:
    figures = _figures([item("packetcache-hit", "0"), item("packetcache-miss", "0")])

    assert figures["packet_cache_hit_rate"] is None
    assert figures["uptime_seconds"] is None
