"""The printed result of ``bench/write_path.py``: the series, then one table of goals."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from fanout import percentile
from write_load import Crowd
from write_sql import SqlCount

# The bulk runs: answered 200, the direct PATCHes, and those answered 207 (not timed).
BULK = ("bulk 10k", "floor 10k", "bulk 10k 207")
# A write at the version cap "does not grow" when it costs at most this much more than a
# write in the same-size zone with few versions (run-to-run noise on this machine).
SAME_COST = 1.25


@dataclass(frozen=True)
class Goal:
    name: str
    dnsmate: str
    raw: str
    measured: str
    goal: str
    met: bool


def ms(samples: list[float]) -> str:
    return f"{percentile(samples, 0.5):.2f} ms"


def goals(r: dict[str, object]) -> list[Goal]:
    """The issue-11 goals that the results hold figures for."""
    lat = {k: v for k, v in r.items() if isinstance(v, list) and k not in BULK}
    p50 = {k: percentile(v, 0.5) for k, v in lat.items() if isinstance(v, list)}
    out: list[Goal] = []
    one = p50["sqlite 1"] / p50["raw GET+PATCH 1"]
    out.append(Goal("create, 1 target, p50 vs raw GET+PATCH", ms(r["sqlite 1"]),  # type: ignore[arg-type]
                    ms(r["raw GET+PATCH 1"]), f"{one:.2f}", "<= 2.0", one <= 2.0))  # type: ignore[arg-type]  # fmt: skip
    dm3 = p50["sqlite 3"] / p50["sqlite 1"]
    raw3 = p50["raw PATCH 3"] / p50["raw PATCH 1"]
    getpatch3 = p50["raw GET+PATCH 3"] / p50["raw GET+PATCH 1"]
    out.append(Goal("3 targets / 1 target, p50 ratio", f"{dm3:.2f}",
                    f"{raw3:.2f} (GET+PATCH {getpatch3:.2f})", f"{dm3 / raw3:.2f}",
                    "<= 1.0", dm3 <= raw3))  # fmt: skip
    for backend in ("sqlite", "postgresql"):
        sql = r.get(f"sql {backend}")
        if isinstance(sql, SqlCount):
            out.append(Goal(f"SQL statements per write ({backend})", f"{sql.per_write:.1f}",
                            "-", "-", "<= 3", sql.per_write <= 3))  # fmt: skip
    if "pg 1" in p50:
        pg1 = p50["pg 1"] / p50["sqlite 1"]
        out.append(Goal("PostgreSQL / SQLite p50, 1 writer", ms(r["pg 1"]),  # type: ignore[arg-type]
                        f"SQLite {ms(r['sqlite 1'])}", f"{pg1:.2f}", "<= 1.3", pg1 <= 1.3))  # type: ignore[arg-type]  # fmt: skip
    lite16, pg16 = r["sqlite x16"], r.get("pg x16")
    assert isinstance(lite16, Crowd)
    if isinstance(pg16, Crowd):
        ratio = pg16.p(0.5) / lite16.p(0.5)
        out.append(Goal("PostgreSQL / SQLite p50, 16 writers", f"{pg16.p(0.5):.0f} ms",
                        f"SQLite {lite16.p(0.5):.0f} ms", f"{ratio:.2f}", "<= 1.3",
                        ratio <= 1.3))  # fmt: skip
    floor = statistics.median(r["floor 10k"])  # type: ignore[arg-type]
    if r["bulk 10k"]:
        bulk = statistics.median(r["bulk 10k"])  # type: ignore[arg-type]
        out.append(Goal("bulk 10,000 to 3 servers vs 3 PATCHes", f"{bulk:.2f} s",
                        f"{floor:.2f} s", f"{bulk / floor:.2f}", "<= 1.5",
                        bulk / floor <= 1.5))  # fmt: skip
    else:
        out.append(Goal("bulk 10,000 to 3 servers vs 3 PATCHes", "no 200 run",
                        f"{floor:.2f} s", "-", "<= 1.5", False))  # fmt: skip
    serial = r["raw serialized x16"]
    assert isinstance(serial, Crowd)
    for label, got in (("SQLite", lite16), ("PostgreSQL", pg16)):
        if isinstance(got, Crowd):
            ratio = got.per_second / serial.per_second
            out.append(Goal(f"16 writers x 3 targets, writes/s ({label})",
                            f"{got.per_second:.1f}/s", f"{serial.per_second:.1f}/s serialized",
                            f"{ratio:.2f}", ">= 1.0", ratio >= 1.0))  # fmt: skip
    pg64 = r.get("pg x64")
    if isinstance(pg64, Crowd):
        out.append(Goal("PostgreSQL, 64 writers: stalls >5 s, 5xx",
                        f"{pg64.stalls}, {pg64.server_errors}", "-",
                        "-", "0, 0",
                        pg64.stalls == 0 and pg64.server_errors == 0))  # fmt: skip
    big = p50["big db sqlite 1"] / p50["big db raw GET+PATCH 1"]
    out.append(Goal("create, server with 100k more records", ms(r["big db sqlite 1"]),  # type: ignore[arg-type]
                    ms(r["big db raw GET+PATCH 1"]), f"{big:.2f}", "<= 2.0", big <= 2.0))  # type: ignore[arg-type]  # fmt: skip
    young, aged = r["few versions"], r["at the cap"]
    assert isinstance(young, tuple) and isinstance(aged, tuple)
    wall = percentile(aged[0], 0.5) / percentile(young[0], 0.5)
    out.append(Goal("20k zone at version cap / few versions, p50", ms(aged[0]), ms(young[0]),
                    f"{wall:.2f}", f"<= {SAME_COST}", wall <= SAME_COST))  # fmt: skip
    cpu = aged[1] / young[1]
    out.append(Goal("... CPU per write", f"{aged[1]:.1f} ms", f"{young[1]:.1f} ms", f"{cpu:.2f}",
                    f"<= {SAME_COST}", cpu <= SAME_COST))  # fmt: skip
    return out


def report(r: dict[str, object]) -> None:
    """Print every series, then the goals table."""
    print("\nsingle-record creates, one request at a time, the series of a block interleaved:")
    for name, value in r.items():
        if isinstance(value, list) and name not in BULK:
            cpu = r.get(f"{name} cpu")
            used = f"   CPU {cpu:.1f} ms per write" if isinstance(cpu, float) else ""
            print(f"  {name:<22} n={len(value):<4} p50 {percentile(value, 0.5):7.2f} ms   "
                  f"p95 {percentile(value, 0.95):7.2f} ms{used}")  # fmt: skip
    print("concurrent writers (different names):")
    for name, value in r.items():
        if isinstance(value, Crowd):
            print(f"  {name:<22} {value.writers} writers: {value.describe()}")
    for name, value in r.items():
        if isinstance(value, SqlCount):
            print(f"{name}: {value.describe()}")
            print("  last write: " + "\n              ".join(value.last_write))
    for name in BULK:
        runs = r[name]
        assert isinstance(runs, list)
        if runs:
            print(f"{name:<12} median {statistics.median(runs):.2f} s, runs "
                  + ", ".join(f"{s:.2f}" for s in runs))  # fmt: skip
    if r["bulk 10k 207"]:
        print(f"bulk 10k: {len(r['bulk 10k 207'])} run(s) answered 207 (a server did not take "
              "it in time), left out of the median above")  # fmt: skip
    for name in ("few versions", "at the cap"):
        samples, cpu = r[name]  # type: ignore[misc]
        print(f"20,000-record zone, {name:<13} p50 {percentile(samples, 0.5):7.2f} ms   "
              f"p95 {percentile(samples, 0.95):7.2f} ms   CPU {cpu:.1f} ms per write")  # fmt: skip
    print(f"\n| {'goal':<46} | {'DNSMate':>12} | {'raw / reference':>26} | ratio | goal    | met |")
    print(f"|{'-' * 48}|{'-' * 14}|{'-' * 28}|-------|---------|-----|")
    for g in goals(r):
        print(f"| {g.name:<46} | {g.dnsmate:>12} | {g.raw:>26} | {g.measured:>5} | "
              f"{g.goal:<7} | {'yes' if g.met else 'NO':<3} |")  # fmt: skip
