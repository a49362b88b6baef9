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
