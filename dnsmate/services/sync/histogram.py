"""A fixed log-spaced latency histogram: counts per bucket, merged by adding, p95 estimated.

Bucket ``i`` holds durations in ``[EDGES_MS[i-1], EDGES_MS[i])`` (bucket 0 starts at 0, the
last one has no upper edge). The edges grow by a factor of sqrt(2) from 1 ms to about 16 s,
so an estimate interpolated inside a bucket is off by at most that factor and usually by
much less. Every process uses the same edges, which is what makes adding counts exact.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence

from dnsmate.models.stats import HISTOGRAM_BUCKETS

EDGES_MS: tuple[float, ...] = tuple(2 ** (i / 2) for i in range(HISTOGRAM_BUCKETS - 1))


def bucket_index(duration_ms: float) -> int:
    """The bucket a duration falls in."""
    return bisect.bisect_right(EDGES_MS, max(duration_ms, 0.0))


def empty() -> list[int]:
    return [0] * HISTOGRAM_BUCKETS


def merge(into: list[int], other: Sequence[int]) -> list[int]:
    """Add ``other``'s counts to ``into`` (in place) and return it."""
    for i, count in enumerate(other):
        into[i] += count
    return into


def quantile(counts: Sequence[int], q: float) -> float | None:
    """The estimated ``q`` quantile in milliseconds (None without samples).

    Finds the bucket holding the sample of rank ceil(q * n) and interpolates inside it:
    geometrically (the buckets are log-spaced), linearly in the first bucket (which starts
    at 0). A quantile in the open last bucket is reported as that bucket's lower edge.
    """
    total = sum(counts)
    if total == 0:
        return None
    rank = max(1, math.ceil(q * total))
    seen = 0
    for i, count in enumerate(counts):
        if count == 0 or seen + count < rank:
            seen += count
            continue
        fraction = (rank - seen) / count
        if i == 0:
            return EDGES_MS[0] * fraction
        if i == len(EDGES_MS):
            return EDGES_MS[-1]
        low, high = EDGES_MS[i - 1], EDGES_MS[i]
        return low * math.pow(high / low, fraction)
    return EDGES_MS[-1]  # not reached: the ranks add up to ``total``
