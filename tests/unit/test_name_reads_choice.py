"""How a write reads one name, from what was measured of the server (pure choice)."""

from __future__ import annotations

import pytest

from dnsmate.powerdns.name_reads import (
    SLOW_SEARCH_SECONDS,
    ZONE_READ_MAX_RRSETS,
    NameReads,
    Read,
    Whole,
    choose,
)

FAST, SLOW = SLOW_SEARCH_SECONDS / 10, SLOW_SEARCH_SECONDS * 3
SMALL = 50


@pytest.mark.parametrize(
    ("searchable", "search", "zone", "read"),
    [
        (None, None, None, Read.FIRST),  # the zone's first read, whatever was measured
        (None, SLOW, Whole(0.001, SMALL), Read.FIRST),
        (False, SLOW, Whole(0.001, SMALL), Read.FILTERED),  # search-data misses this zone
        (False, None, None, Read.FILTERED),
        (True, None, None, Read.SEARCH),  # no search-data timed yet
        (True, FAST, None, Read.SEARCH),  # a small database: search-data
        (True, FAST, Whole(FAST / 4, SMALL), Read.SEARCH),  # fast enough: no whole reads
        (True, SLOW, None, Read.ZONE),  # slow search-data, zone never read whole: find out
        (True, SLOW, Whole(SLOW / 2, SMALL), Read.ZONE),  # half the cost whole
        (True, SLOW, Whole(SLOW / 1.5, SMALL), Read.SEARCH),  # cheaper, not by the margin
        (True, SLOW, Whole(SLOW * 3, SMALL), Read.SEARCH),
        (True, SLOW, Whole(SLOW / 10, ZONE_READ_MAX_RRSETS), Read.ZONE),
        (True, SLOW, Whole(SLOW / 10, ZONE_READ_MAX_RRSETS + 1), Read.SEARCH),  # too big
    ],
)
def test_the_choice(
    searchable: bool | None, search: float | None, zone: Whole | None, read: Read
) -> None:
    assert choose(searchable=searchable, search_seconds=search, zone=zone) is read


def test_search_data_durations_are_averaged_and_whole_reads_kept_per_zone() -> None:
    reads = NameReads()
    reads.searchable["example.com."] = True
    reads.searched(SLOW)
    assert reads.search_seconds == SLOW
    assert reads.choose("example.com.") is Read.ZONE
    reads.read_whole("example.com.", SLOW * 2, SMALL)
    assert reads.choose("example.com.") is Read.SEARCH
    for _ in range(30):  # the database shrank: search-data fast again
        reads.searched(FAST)
    assert reads.search_seconds is not None and reads.search_seconds < SLOW_SEARCH_SECONDS
    assert reads.choose("example.com.") is Read.SEARCH
    before = reads.search_seconds
    reads.searched(SLOW * 100)  # one slow call moves the average a fifth of the way
    assert reads.search_seconds == pytest.approx(before + 0.2 * (SLOW * 100 - before))


def test_a_zone_read_whole_for_the_first_time_is_read_so_once_at_a_time() -> None:
    reads = NameReads(search_seconds=SLOW, searchable={"example.com.": True})
    assert reads.choose("example.com.") is Read.ZONE  # to be timed
    assert reads.choose("example.com.") is Read.SEARCH  # meanwhile: search-data
    reads.read_whole("example.com.", SLOW / 4, SMALL)
    assert reads.choose("example.com.") is Read.ZONE
    assert reads.choose("example.com.") is Read.ZONE
