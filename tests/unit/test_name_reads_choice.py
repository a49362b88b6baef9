"""How a write reads one name, from what was measured of the server (pure choice)."""

from __future__ import annotations

import pytest

from dnsmate.powerdns.name_reads import SLOW_SEARCH_SECONDS, NameReads, Read, choose

FAST, SLOW = SLOW_SEARCH_SECONDS / 10, SLOW_SEARCH_SECONDS * 3


@pytest.mark.parametrize(
    ("searchable", "search", "zone", "read"),
    [
        (None, None, None, Read.FIRST),  # the zone's first read, whatever was measured
        (None, SLOW, 0.001, Read.FIRST),
        (False, SLOW, 0.001, Read.FILTERED),  # search-data does not list this zone
        (False, None, None, Read.FILTERED),
        (True, None, None, Read.SEARCH),  # no search-data timed yet
        (True, FAST, None, Read.SEARCH),  # a small database: search-data
        (True, FAST, FAST / 2, Read.SEARCH),  # fast enough: no whole reads, even cheaper ones
        (True, SLOW, None, Read.ZONE),  # slow search-data, zone never read whole: find out
        (True, SLOW, SLOW / 3, Read.ZONE),  # the zone costs less whole
        (True, SLOW, SLOW * 3, Read.SEARCH),  # a big zone: search-data
        (True, SLOW, SLOW, Read.SEARCH),
    ],
)
def test_the_choice(
    searchable: bool | None, search: float | None, zone: float | None, read: Read
) -> None:
    assert choose(searchable=searchable, search_seconds=search, zone_seconds=zone) is read


def test_search_data_durations_are_averaged_and_whole_reads_kept_per_zone() -> None:
    reads = NameReads()
    reads.searchable["example.com."] = True
    reads.searched(SLOW)
    assert reads.search_seconds == SLOW
    assert reads.choose("example.com.") is Read.ZONE
    reads.read_whole("example.com.", SLOW * 2)
    assert reads.choose("example.com.") is Read.SEARCH
    for _ in range(30):  # the database shrank: search-data fast again
        reads.searched(FAST)
    assert reads.search_seconds is not None and reads.search_seconds < SLOW_SEARCH_SECONDS
    assert reads.choose("example.com.") is Read.SEARCH
    reads.searched(SLOW * 100)  # one slow call moves the average a fifth of the way
    assert reads.search_seconds == pytest.approx(FAST + 0.2 * (SLOW * 100 - FAST), rel=0.01)


def test_a_zone_read_whole_for_the_first_time_is_read_so_once_at_a_time() -> None:
    reads = NameReads(search_seconds=SLOW, searchable={"example.com.": True})
    assert reads.choose("example.com.") is Read.ZONE  # to be timed
    assert reads.choose("example.com.") is Read.SEARCH  # meanwhile: search-data
    reads.read_whole("example.com.", SLOW / 4)
    assert reads.choose("example.com.") is Read.ZONE
    assert reads.choose("example.com.") is Read.ZONE
