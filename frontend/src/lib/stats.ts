// Formatting of the per-server operation statistics (success rate, p95 latency).

/** "100 %", "99.5 %"; a rate below 1 never rounds up to 100 %; "–" without operations. */
export function formatRate(rate: number | null): string {
  if (rate === null) return "–";
  if (rate >= 1) return "100 %";
  const tenths = Math.floor(rate * 1000) / 10;
  return `${tenths.toFixed(1)} %`;
}

/** "4.2 ms", "38 ms", "1.2 s"; "–" when there is no latency. */
export function formatLatency(ms: number | null): string {
  if (ms === null) return "–";
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 10) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}

/** Badge class for a success rate: green at 100 %, amber from 95 %, red below. */
export function rateClass(rate: number | null): string {
  if (rate === null) return "badge-muted";
  if (rate >= 1) return "badge-ok";
  return rate >= 0.95 ? "badge-warn" : "badge-bad";
}
