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
search-data is slow reads a zone whole when that was measured to cost less there. The
choice is made from what this process has seen of the server: how long its search-data
calls take (a moving average) and how long the last whole read of each zone took (any whole
read counts: the zone page, drift checks, exports). A zone never read whole, on a server
whose search-data is slow, is read whole once to find out; a zone that costs more whole
goes back to search-data. ``choose`` is pure; ``NameReads`` keeps the measurements (a
read whose zone cannot be read, a 404, leaves that zone to search-data).
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


class Read(enum.Enum):
    """How one name is read."""

    FIRST = "first"  # the zone's first read: the filtered GET and search-data, and whether
    # search-data lists the zone's SOA (a backend without search does not)
    FILTERED = "filtered"  # the filtered GET and search-data (search-data lists nothing)
    SEARCH = "search"  # search-data, and the filtered GET only when it cannot say it all
    ZONE = "zone"  # the whole zone, the RRsets at the name picked out


def choose(
    *,
    searchable: bool | None,
    search_seconds: float | None,
    zone_seconds: float | None,
) -> Read:
    """How to read a name of a zone: ``searchable`` whether search-data was seen to list the
    zone's records (None: never asked), ``search_seconds`` the server's search-data average
    (None: none made yet), ``zone_seconds`` the last whole read of the zone (None: none)."""
    if searchable is None:
        return Read.FIRST
    if not searchable:
        return Read.FILTERED
    if search_seconds is None or search_seconds < SLOW_SEARCH_SECONDS:
        return Read.SEARCH
    if zone_seconds is None or zone_seconds < search_seconds:
        return Read.ZONE
    return Read.SEARCH


@dataclass
class NameReads:
    """What one client has measured of its server, per zone and for search-data."""

    search_seconds: float | None = None
    searchable: dict[str, bool] = field(default_factory=dict)
    zone_seconds: dict[str, float] = field(default_factory=dict)

    def choose(self, zone: str) -> Read:
        """``choose`` for ``zone``. A zone to be read whole for the first time counts as
        costly until that read is timed (``read_whole``), so that the reads meanwhile (a
        batch of changes reads several names at once) use search-data instead of each
        reading a zone of unknown size whole."""
        read = choose(
            searchable=self.searchable.get(zone),
            search_seconds=self.search_seconds,
            zone_seconds=self.zone_seconds.get(zone),
        )
        if read is Read.ZONE:
            self.zone_seconds.setdefault(zone, math.inf)
        return read

    def searched(self, seconds: float) -> None:
        """A search-data call took ``seconds``."""
        last = self.search_seconds
        self.search_seconds = seconds if last is None else last + SMOOTHING * (seconds - last)

    def read_whole(self, zone: str, seconds: float) -> None:
        """A whole read of ``zone`` (absolute name) took ``seconds``."""
        self.zone_seconds[zone] = seconds
