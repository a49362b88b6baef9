import type { PowerDNSFigures } from "../api/types";

function duration(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes} min`;
  return `${minutes} min ${seconds % 60} s`;
}

function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? "–" : `${(rate * 100).toFixed(1)} %`;
}

/** One server's own PowerDNS figures (from its statistics endpoint) on its dashboard card. */
export function PowerDNSFiguresList({ figures }: { figures: PowerDNSFigures | undefined }) {
  if (!figures) return <p className="muted">PowerDNS figures: loading…</p>;
  if (figures.state !== "ok") {
    return (
      <p className="muted" title={figures.error ?? undefined}>
        PowerDNS figures: {figures.state === "not_answering" ? "not answering" : "unavailable"}
      </p>
    );
  }
  const queries = (figures.udp_queries ?? 0) + (figures.tcp_queries ?? 0);
  return (
    <dl className="pdns-figures" aria-label={`PowerDNS figures of ${figures.name}`}>
      <dt>Uptime</dt>
      <dd>{figures.uptime_seconds === null ? "–" : duration(figures.uptime_seconds ?? 0)}</dd>
      <dt>Queries</dt>
      <dd>{queries.toLocaleString("en")}</dd>
      <dt>Packet cache hits</dt>
      <dd>{percent(figures.packet_cache_hit_rate)}</dd>
      <dt>Query cache hits</dt>
      <dd>{percent(figures.query_cache_hit_rate)}</dd>
    </dl>
  );
}
