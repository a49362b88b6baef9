// The retry queue, circuit breakers and partial-failure policy (admin only):
// dnsmate/api/routes/sync.py and consistency.py, schemas/sync.py.
import { request } from "./client";
import type { components } from "./schema";

type Schemas = components["schemas"];

export type Policy = "retry" | "report" | "rollback";

export type QueueEntry = Schemas["QueueEntryPublic"];
export type QueueLine = Schemas["QueueLine"];
export type Queue = Schemas["QueuePublic"];

/** Filters of GET /api/sync/queue (each optional). */
export interface QueueFilter {
  server_id?: number;
  zone?: string;
}
export type Breaker = Schemas["BreakerPublic"];
export type DrainReport = Schemas["DrainReportPublic"];

export const readPolicy = () =>
  request<{ on_partial_failure: Policy }>("GET", "/settings/consistency");
export const setPolicy = (policy: Policy) =>
  request<{ on_partial_failure: Policy }>("PUT", "/settings/consistency", {
    body: { on_partial_failure: policy },
  });
export const readQueue = (filter: QueueFilter = {}) =>
  request<Queue>("GET", "/sync/queue", { query: { ...filter } });
export const readBreakers = () => request<Breaker[]>("GET", "/sync/servers");
export const retryEntry = (id: number) => request<QueueEntry>("POST", `/sync/queue/${id}/retry`);
export const dropEntry = (id: number) => request<null>("DELETE", `/sync/queue/${id}`);
/** Bulk Retry and Drop: all or nothing (404 when one entry is gone). */
export const retryEntries = (ids: number[]) =>
  request<Schemas["QueueRetried"]>("POST", "/sync/queue/retry", { body: { ids } });
export const dropEntries = (ids: number[]) =>
  request<Schemas["QueueDropped"]>("POST", "/sync/queue/drop", { body: { ids } });
export const drainQueue = () => request<DrainReport>("POST", "/sync/queue/drain");

// Drift between servers and reconcile (services/sync/drift.py and reconcile.py).

const seg = encodeURIComponent;

export type ZoneSyncState = "in_sync" | "drifted" | "missing" | "unknown";

/** One zone in GET /api/sync/status; ``checked``: "serial" (equal serials, content not
 * compared) or "content" (compared RRset by RRset). */
export type ZoneSyncEntry = Schemas["ZoneSyncState"];
export type SyncStatus = Schemas["SyncStatus"];
/** An RRset as drift shows it: record contents only (disabled state is compared, not shown). */
export type DiffRRset = Schemas["DriftRRset"];
export type ServerDiff = Schemas["ServerDiff"];
export type ZoneDiff = Schemas["ZoneDiff"];
/** One server's part of a reconcile plan; ``unsafe``: refused without force. */
export type ServerPlan = Schemas["ServerReconcilePlan"];
/** POST /api/sync/zones/{zone}/reconcile: 200 (plan or applied), 207 (some failed), 409. */
export type ReconcileAnswer = Schemas["ReconcileAnswer"];

export const readSyncStatus = (deep: boolean) =>
  request<SyncStatus>("GET", "/sync/status", { query: { deep: deep ? "true" : undefined } });

export const readZoneDiff = (zone: string, reference: number | null) =>
  request<ZoneDiff>("GET", `/sync/zones/${seg(zone)}/diff`, { query: { reference } });

/** The plan (dry_run) or the applied answer; a refusal (409) throws ApiError with the plan. */
export const reconcileZone = (zone: string, source: number, dryRun: boolean, force = false) =>
  request<ReconcileAnswer>("POST", `/sync/zones/${seg(zone)}/reconcile`, {
    body: { source, dry_run: dryRun, force },
  });
