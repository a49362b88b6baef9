import type { ServerHealth } from "../api/types";

/** Reachability of one server: green "Healthy · 3 ms · 4.7.3", amber "Not answering" (hung or
 * overloaded: its check goes on behind), red "Unreachable" with the error. */
export function HealthBadge({ health }: { health: ServerHealth | undefined }) {
  if (!health) return <span className="badge badge-muted">Checking…</span>;
  if (health.healthy) {
    const details = [
      health.latency_ms !== null ? `${Math.round(health.latency_ms)} ms` : null,
      health.version ? `v${health.version}` : null,
    ].filter(Boolean);
    return (
      <span className="badge badge-ok" title={details.join(" · ")}>
        ● Healthy{details.length ? ` · ${details.join(" · ")}` : ""}
      </span>
    );
  }
  if (health.state === "not_answering") {
    return (
      <span className="badge badge-warn" title={health.error ?? undefined}>
        ● Not answering
      </span>
    );
  }
  return (
    <span className="badge badge-bad" title={health.error ?? undefined}>
      ● Unreachable{health.error ? `: ${health.error}` : ""}
    </span>
  );
}
