"""Per-server operation statistics: one row per (server, minute, kind), shared by processes.

Every DNSMate process adds its in-memory counts to these rows periodically (an upsert that
adds), so the dashboard sees the operations of all processes. Latency is kept as a fixed
log-spaced histogram (``h00`` .. ``h29``, see ``dnsmate.services.sync.histogram``) so a p95
can be estimated from counts without storing samples.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, String, Table

from dnsmate.db import Base

# Number of latency buckets; changing it needs a migration (the columns are fixed).
HISTOGRAM_BUCKETS = 30
HISTOGRAM_COLUMNS = tuple(f"h{i:02d}" for i in range(HISTOGRAM_BUCKETS))
COUNTER_COLUMNS = ("ok", "failed", *HISTOGRAM_COLUMNS)

server_stats = Table(
    "server_stats",
    Base.metadata,
    Column(
        "server_id",
        ForeignKey("powerdns_settings.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    # Minutes since the Unix epoch (UTC): integer arithmetic, the same on every database.
    Column("minute", BigInteger, primary_key=True),
    # read, write, replay or health
    Column("kind", String(20), primary_key=True),
    *(Column(name, Integer, nullable=False, default=0) for name in COUNTER_COLUMNS),
    Index("ix_server_stats_minute", "minute"),
)
