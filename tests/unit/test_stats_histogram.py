"""The latency histogram behind the dashboard's p95, and the in-memory statistics buffer."""

from __future__ import annotations

import itertools
import math
import random

import pytest

from dnsmate.services.sync import histogram
from dnsmate.services.sync.stats import Bucket, StatsBuffer, stats_kind

# Neighbouring edges differ by this factor: the worst error of an interpolated estimate.
STEP = math.sqrt(2)


def counts_of(samples: list[float]) -> list[int]:
    counts = histogram.empty()
    for sample in samples:
        counts[histogram.bucket_index(sample)] += 1
    return counts


def true_quantile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[math.ceil(q * len(ordered)) - 1]


def test_buckets_are_log_spaced_and_cover_everything() -> None:
    assert histogram.bucket_index(0) == 0
    assert histogram.bucket_index(0.5) == 0
    assert histogram.bucket_index(1.0) == 1
    assert histogram.bucket_index(1.5) == 2
    assert histogram.bucket_index(10_000_000) == len(histogram.EDGES_MS)
    assert len(histogram.empty()) == len(histogram.EDGES_MS) + 1
    ratios = {round(b / a, 9) for a, b in itertools.pairwise(histogram.EDGES_MS)}
    assert ratios == {round(STEP, 9)}


@pytest.mark.parametrize("seed", range(5))
def test_p95_estimate_is_within_one_bucket_of_the_true_value(seed: int) -> None:
    rng = random.Random(seed)
    samples = [rng.lognormvariate(math.log(20), 0.8) for _ in range(2000)]

    estimate = histogram.quantile(counts_of(samples), 0.95)

    exact = true_quantile(samples, 0.95)
    assert estimate is not None
    assert exact / STEP <= estimate <= exact * STEP


def test_p95_of_identical_samples_is_in_their_bucket() -> None:
    estimate = histogram.quantile(counts_of([5.0] * 100), 0.95)

    assert estimate is not None
    index = histogram.bucket_index(5.0)
    assert histogram.EDGES_MS[index - 1] <= estimate <= histogram.EDGES_MS[index]


def test_p95_of_a_slow_tail_reports_the_tail() -> None:
    samples = [2.0] * 90 + [800.0] * 10

    estimate = histogram.quantile(counts_of(samples), 0.95)

    assert estimate is not None
    assert 800 / STEP <= estimate <= 800 * STEP


def test_quantile_edge_cases() -> None:
    assert histogram.quantile(histogram.empty(), 0.95) is None
    assert histogram.quantile(counts_of([0.2]), 0.95) == pytest.approx(1.0)  # first bucket
    beyond = histogram.quantile(counts_of([60_000.0]), 0.95)
    assert beyond == histogram.EDGES_MS[-1]  # open last bucket: its lower edge


def test_merged_histograms_equal_the_histogram_of_all_samples() -> None:
    rng = random.Random(7)
    first = [rng.uniform(0.1, 3000) for _ in range(300)]
    second = [rng.uniform(0.1, 50) for _ in range(500)]

    merged = histogram.merge(counts_of(first), counts_of(second))

    assert merged == counts_of(first + second)
    assert histogram.quantile(merged, 0.95) == histogram.quantile(counts_of(first + second), 0.95)


def test_buffer_counts_ok_and_failed_per_server_minute_and_kind() -> None:
    now = [600.0]
    buffer = StatsBuffer(clock=lambda: now[0])
    buffer.record(server_id=1, kind="record.create", outcome="success", seconds=0.004)
    buffer.record(server_id=1, kind="zone.delete", outcome="failure", seconds=3.0)
    buffer.record(server_id=1, kind="record.create", outcome="skipped", seconds=None)
    buffer.record(server_id=1, kind="record.create", outcome="queued", seconds=None)
    buffer.record(server_id=1, kind="health", outcome="failure", seconds=None)
    now[0] = 660.0
    buffer.record(server_id=1, kind="read", outcome="success", seconds=0.001)
    # A replay the server refused (a data error) was answered: ok; parking it is no request.
    buffer.record(server_id=2, kind="replay", outcome="rejected", seconds=0.01)
    buffer.record(server_id=2, kind="replay", outcome="parked", seconds=None)

    taken = buffer.take()

    assert set(taken) == {(1, 10, "write"), (1, 10, "health"), (1, 11, "read"), (2, 11, "replay")}
    write = taken[(1, 10, "write")]
    assert (write.ok, write.failed, sum(write.latency)) == (1, 1, 2)
    health = taken[(1, 10, "health")]
    assert (health.ok, health.failed, sum(health.latency)) == (0, 1, 0)
    replay = taken[(2, 11, "replay")]
    assert (replay.ok, replay.failed) == (1, 0)
    assert len(buffer) == 0


def test_buffer_restore_adds_back_to_new_counts() -> None:
    buffer = StatsBuffer(clock=lambda: 0.0)
    buffer.record(server_id=1, kind="read", outcome="success", seconds=0.002)
    taken = buffer.take()
    buffer.record(server_id=1, kind="read", outcome="failure", seconds=0.002)

    buffer.restore(taken)

    bucket = buffer.take()[(1, 0, "read")]
    assert (bucket.ok, bucket.failed, bucket.operations) == (1, 1, 2)
    assert sum(bucket.latency) == 2


def test_bucket_add_and_kinds() -> None:
    total = Bucket()
    total.add(Bucket(2, 1, counts_of([1.0, 2.0, 3.0])))
    total.add(Bucket(1, 0, counts_of([1.0])))
    assert (total.ok, total.failed, total.latency) == (3, 1, counts_of([1.0, 2.0, 3.0, 1.0]))
    assert [stats_kind(k) for k in ("read", "health", "replay", "record.update")] == [
        "read",
        "health",
        "replay",
        "write",
    ]
