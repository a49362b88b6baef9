"""How a write reads the RRsets at one name of one server (``PowerDNSClient.read_name``).

PowerDNS 4.7 has no cheap read of one name that includes its disabled records: the GET
filtered by name leaves them out (PowerDNS issue 11473). Two reads include them, at costs
that grow differently:

- ``search-data`` for the name: one request, but backends match names and contents with
  ``LIKE``, which no index serves, so its cost grows with every record of every zone on the
  server (one PowerDNS with 100,000 records: 20-28 ms, against 2 ms for the filtered GET);
- the whole zone: its cost grows with the zone (about 3 ms for 20 RRsets, 5 ms for 200,
  22 ms for 2,000, 0.7 s for 100,000).

So a server whose search-data is fast (a small database) is read by search-data; one whose
search-data is slow reads a zone whole when that was measured to cost at most half as much
there, and the zone is small (a big zone's JSON is CPU for DNSMate too). The choice is made
from what this process has seen of the server: how long its search-data calls take (a
moving average) and the last whole read of each zone, its duration and size (any whole read
counts: the zone page, drift checks, exports). A zone never read whole, on a server whose
search-data is slow, is read whole once to find out. The margin keeps a zone from going back
and forth on the noise of a loaded machine. ``choose`` is pure; ``NameReads`` keeps the
measurements (a read whose zone cannot be read, a 404, leaves that zone to search-data).
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field

# search-data slower than this (moving average) makes a zone worth reading whole once, to
# measure it: about a 40,000-record database on this machine.
SLOW_SEARCH_SECONDS = 0.010
# Weight of the newest search-data duration in the moving average.
SMOOTHING = 0.2
# A zone with more RRsets than this is never read whole for one name (2,000 RRsets: about
# 22 ms and a 200 kB answer; search-data in a database of 100,000 records: 20-28 ms).
ZONE_READ_MAX_RRSETS = 2_000


class Read(enum.Enum):
    """How one name is read."""

    FIRST = "first"  # the zone's first read: the filtered GET and search-data, and whether
    # search-data lists the zone's SOA (a backend without search does not)
    FILTERED = "filtered"  # the filtered GET and search-data (search-data lists nothing)
    SEARCH = "search"  # search-data, and the filtered GET only when it cannot say it all
    ZONE = "zone"  # the whole zone, the RRsets at the name picked out


@dataclass(frozen=True)
class Whole:
    """The last whole read of a zone: how long it took and how many RRsets it had."""

    seconds: float
    rrsets: int


# A zone being read whole for the first time: costly until that read is timed.
PENDING = Whole(math.inf, 0)


def choose(*, searchable: bool | None, search_seconds: float | None, zone: Whole | None) -> Read:
    """How to read a name of a zone: ``searchable`` whether search-data was seen to list the
    zone's records (None: never asked), ``search_seconds`` the server's search-data average
    (None: none made yet), ``zone`` the zone's last whole read (None: none)."""
    if searchable is None:
        return Read.FIRST
    if not searchable:
        return Read.FILTERED
    if search_seconds is None or search_seconds < SLOW_SEARCH_SECONDS:
        return Read.SEARCH
    if zone is None:
        return Read.ZONE
    if zone.rrsets <= ZONE_READ_MAX_RRSETS and 2 * zone.seconds <= search_seconds:
        return Read.ZONE
    return Read.SEARCH


@dataclass
class NameReads:
    """What one client has measured of its server, per zone and for search-data."""

    search_seconds: float | None = None
    searchable: dict[str, bool] = field(default_factory=dict)
    zones: dict[str, Whole] = field(default_factory=dict)

    def choose(self, zone: str) -> Read:
        """``choose`` for ``zone``. A zone to be read whole for the first time counts as
        costly until that read is timed (``read_whole``), so that the reads meanwhile (a
        batch of changes reads several names at once) use search-data instead of each
        reading a zone of unknown size whole."""
        read = choose(
            searchable=self.searchable.get(zone),
            search_seconds=self.search_seconds,
            zone=self.zones.get(zone),
        )
        if read is Read.ZONE:
            self.zones.setdefault(zone, PENDING)
        return read

    def searched(self, seconds: float) -> None:
        """A search-data call took ``seconds``."""
        last = self.search_seconds
        self.search_seconds = seconds if last is None else last + SMOOTHING * (seconds - last)

    def read_whole(self, zone: str, seconds: float, rrsets: int) -> None:
        """A whole read of ``zone`` (absolute name) took ``seconds`` and had ``rrsets``."""
        self.zones[zone] = Whole(seconds, rrsets)
