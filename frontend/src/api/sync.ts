// The retry queue, circuit breakers and partial-failure policy (admin only):
// dnsmate/api/routes/sync.py and consistency.py, schemas/sync.py.
import { request } from "./client";

export type Policy = "retry" | "report" | "rollback";

export interface QueueEntry {
  id: number;
  server_id: number;
  server: string;
  zone: string;
  status: string;
  attempts: number;
  last_error: string | null;
  actor: string | null;
  reason: string;
  change: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export interface Queue {
  items: QueueEntry[];
  pending: number;
  parked: number;
}

export interface Breaker {
  id: number;
  name: string;
  state: string;
  failures: number;
  last_error: string | null;
  latency_ms: number | null;
  checked_at: string | null;
  retry_at: string | null;
  pending: number;
  parked: number;
}

export interface DrainReport {
  replayed: number;
  parked: number;
  unavailable: Record<string, string>;
}

export const readPolicy = () =>
  request<{ on_partial_failure: Policy }>("GET", "/settings/consistency");
export const setPolicy = (policy: Policy) =>
  request<{ on_partial_failure: Policy }>("PUT", "/settings/consistency", {
    body: { on_partial_failure: policy },
  });
export const readQueue = () => request<Queue>("GET", "/sync/queue");
export const readBreakers = () => request<Breaker[]>("GET", "/sync/servers");
export const retryEntry = (id: number) => request<QueueEntry>("POST", `/sync/queue/${id}/retry`);
export const dropEntry = (id: number) => request<null>("DELETE", `/sync/queue/${id}`);
export const drainQueue = () => request<DrainReport>("POST", "/sync/queue/drain");

// Drift between servers and reconcile (services/sync/drift.py and reconcile.py).

const seg = encodeURIComponent;

export type ZoneSyncState = "in_sync" | "drifted" | "missing" | "unknown";

/** One zone in GET /api/sync/status (drift.sync_status). */
export interface ZoneSyncEntry {
  zone: string;
  status: ZoneSyncState;
  missing_on: string[];
  drifted_on: string[];
  unknown_on?: string[];
  /** "serial": equal serials, content not compared; "content": compared RRset by RRset. */
  checked: "serial" | "content";
}

export interface SyncStatus {
  servers: string[];
  reference: string;
  /** Server name -> error, for servers whose zone list could not be read. */
  unreachable: Record<string, string>;
  deep: boolean;
  summary: Record<ZoneSyncState, number>;
  zones: ZoneSyncEntry[];
  duration_ms: number;
}

/** drift.public_rrset: record contents only (disabled state is compared, not shown). */
export interface DiffRRset {
  name: string;
  type: string;
  ttl: number;
  records: string[];
}

export interface ServerDiff {
  server: string;
  server_id: number;
  status: "in_sync" | "drifted" | "missing" | "unreachable";
  error: string | null;
  missing?: DiffRRset[];
  extra?: DiffRRset[];
  different?: { name: string; type: string; reference: DiffRRset; server: DiffRRset }[];
}

/** GET /api/sync/zones/{zone}/diff (drift.diff_zone). */
export interface ZoneDiff {
  zone: string;
  reference: string;
  reference_id: number;
  in_sync: boolean;
  servers: ServerDiff[];
}

/** One server's part of a reconcile plan (reconcile.Plan.public). */
export interface ServerPlan {
  server: string;
  create_zone: boolean;
  creates: DiffRRset[];
  updates: DiffRRset[];
  deletes: { name: string; type: string }[];
  existing_rrsets: number;
  /** More than 30 % of this server's RRsets updated or deleted: refused without force. */
  unsafe: boolean;
  error: string | null;
}

/** POST /api/sync/zones/{zone}/reconcile: 200 (plan or applied), 207 (some failed), 409. */
export interface ReconcileAnswer {
  zone: string;
  source: string;
  safe: boolean;
  servers: ServerPlan[];
  dry_run: boolean;
  applied: boolean;
  refused: boolean;
  message?: string;
  results: { server: string; success: boolean; error: string | null; skipped?: boolean }[];
  /** Once applied: failed servers the change is queued for (retry policy). */
  queued_servers?: string[];
  warnings?: string[];
}

export const readSyncStatus = (deep: boolean) =>
  request<SyncStatus>("GET", "/sync/status", { query: { deep: deep ? "true" : undefined } });

export const readZoneDiff = (zone: string, reference: number | null) =>
  request<ZoneDiff>("GET", `/sync/zones/${seg(zone)}/diff`, { query: { reference } });

/** The plan (dry_run) or the applied answer; a refusal (409) throws ApiError with the plan. */
export const reconcileZone = (zone: string, source: number, dryRun: boolean, force = false) =>
  request<ReconcileAnswer>("POST", `/sync/zones/${seg(zone)}/reconcile`, {
    body: { source, dry_run: dryRun, force },
  });
