// Pure helpers for the Sync pages: per-server states and counts from GET /api/sync/status,
// the diff as rows, and the outcome of an applied reconcile.
import type {
  DiffRRset,
  ReconcileAnswer,
  ServerDiff,
  ServerPlan,
  SyncStatus,
  ZoneSyncEntry,
} from "../api/sync";
import type { Outcome } from "../api/types";

export type ServerState = "reference" | "in_sync" | "drifted" | "missing" | "unknown";

export const STATE_LABEL: Record<ServerState, string> = {
  reference: "reference",
  in_sync: "in sync",
  drifted: "drifted",
  missing: "missing",
  unknown: "unknown",
};

/** What one server's copy of a zone is, relative to the reference server's. */
export function serverState(entry: ZoneSyncEntry, server: string, status: SyncStatus): ServerState {
  if (server in status.unreachable || entry.unknown_on?.includes(server)) return "unknown";
  if (entry.missing_on.includes(server)) return "missing";
  if (entry.drifted_on.includes(server)) return "drifted";
  if (server === status.reference) return "reference";
  return "in_sync";
}

export type StateCounts = Record<Exclude<ServerState, "reference">, number>;

/** Per server: how many zones it has in sync, drifted, missing or unknown. */
export function serverCounts(status: SyncStatus): Record<string, StateCounts> {
  const counts: Record<string, StateCounts> = {};
  for (const server of status.servers) {
    counts[server] = { in_sync: 0, drifted: 0, missing: 0, unknown: 0 };
  }
  for (const entry of status.zones) {
    for (const server of status.servers) {
      const state = serverState(entry, server, status);
      counts[server][state === "reference" ? "in_sync" : state] += 1;
    }
  }
  return counts;
}

/** The zones to list: only those with a problem if asked, and matching the search text. */
export function filterZones(
  zones: ZoneSyncEntry[],
  { problemsOnly, search }: { problemsOnly: boolean; search: string },
): ZoneSyncEntry[] {
  const needle = search.trim().toLowerCase().replace(/\.$/, "");
  return zones.filter(
    (z) =>
      (!problemsOnly || z.status !== "in_sync") &&
      (!needle || z.zone.toLowerCase().includes(needle)),
  );
}

/** "a, b (TTL 300)": an RRset's contents as one line. */
export function rrsetText(rrset: DiffRRset): string {
  const text = `${rrset.records.join(", ")} (TTL ${rrset.ttl})`;
  // Comments can be the only difference between two servers' copies: show them.
  const comments = (rrset.comments ?? []).map((c) =>
    c.account ? `${c.content} (${c.account})` : c.content,
  );
  return comments.length ? `${text}; comments: ${comments.join("; ")}` : text;
}

export interface DiffRow {
  kind: "missing" | "extra" | "different";
  name: string;
  type: string;
  /** The reference server's RRset (absent when the server has one too many). */
  reference: DiffRRset | null;
  /** This server's RRset (absent when it lacks it). */
  server: DiffRRset | null;
}

/** One row per RRset that differs, in name and type order. */
export function diffRows(diff: ServerDiff): DiffRow[] {
  const rows: DiffRow[] = [
    ...(diff.missing ?? []).map((r) => ({
      kind: "missing" as const,
      name: r.name,
      type: r.type,
      reference: r,
      server: null,
    })),
    ...(diff.extra ?? []).map((r) => ({
      kind: "extra" as const,
      name: r.name,
      type: r.type,
      reference: null,
      server: r,
    })),
    ...(diff.different ?? []).map((d) => ({
      kind: "different" as const,
      name: d.name,
      type: d.type,
      reference: d.reference,
      server: d.server,
    })),
  ];
  return rows.sort((a, b) => a.name.localeCompare(b.name) || a.type.localeCompare(b.type));
}

/** "2 created, 1 updated, 1 deleted", or why nothing happens on that server. */
export function planSummary(plan: ServerPlan): string {
  if (plan.error) return `not reachable: ${plan.error}`;
  if (plan.create_zone) return "zone missing: it will be created with the source's RRsets";
  const parts = [
    plan.creates.length && `${plan.creates.length} created`,
    plan.updates.length && `${plan.updates.length} updated`,
    plan.deletes.length && `${plan.deletes.length} deleted`,
  ].filter(Boolean);
  const keys = plan.copy_keys ? "held unsigned: the source's DNSSEC keys will be imported" : "";
  if (!parts.length) return keys || "nothing to change";
  const rrsets = `${parts.join(", ")} of ${plural(plan.existing_rrsets, "RRset")}`;
  return keys ? `${rrsets}; ${keys}` : rrsets;
}

/** True when applying the plan would change nothing anywhere. */
export function planIsEmpty(answer: ReconcileAnswer): boolean {
  return answer.servers.every(
    (p) =>
      !p.error &&
      !p.create_zone &&
      !p.copy_keys &&
      !p.creates.length &&
      !p.updates.length &&
      !p.deletes.length,
  );
}

/** The per-server outcome of an applied reconcile (200, or 207 when a server failed). */
export function reconcileOutcome(answer: ReconcileAnswer): Outcome {
  const title = `Reconcile ${answer.zone} from ${answer.source}`;
  const succeeded = answer.results.filter((r) => r.success).map((r) => r.server);
  const failed = answer.results.filter((r) => !r.success);
  const failures = failed.map((r) => `${r.server}: ${r.error ?? "failed"}`);
  const skipped = failed.filter((r) => r.skipped).map((r) => r.server);
  const unreachable = answer.servers.filter((p) => p.error).map((p) => `${p.server}: ${p.error}`);
  const all = [...failures, ...unreachable];
  if (all.length === 0) {
    return {
      kind: "success",
      title,
      status: 200,
      message: answer.results.length === 0 ? "Nothing to change" : undefined,
      succeeded,
      failures: [],
    };
  }
  const queued = answer.queued_servers ?? [];
  return {
    kind: succeeded.length > 0 || queued.length > 0 ? "partial" : "failure",
    title,
    status: 207,
    succeeded,
    failures: all,
    queued,
    skipped,
  };
}

function plural(n: number, word: string): string {
  return n === 1 ? `${n} ${word}` : `${n} ${word}s`;
}
