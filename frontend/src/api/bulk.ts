// Bulk record changes: dnsmate/api/routes/bulk.py (operations as JSON or CSV, delete by filter).
import { multiWrite, request } from "./client";
import type { BulkInput } from "../lib/bulk";
import type { PublicRRset, ZonePlan } from "./versions";

const seg = encodeURIComponent;

/** The dry-run answer of POST /records/{zone}/bulk?dry_run=true. */
export interface BulkPlan {
  zone: string;
  operations: number;
  counts: { add: number; update: number; delete: number };
  dry_run: boolean;
  plan: ZonePlan;
}

/** The preview of POST /records/{zone}/bulk/delete (dry_run, the default). */
export interface DeletePreview {
  zone: string;
  matched: number;
  rrsets: PublicRRset[];
  truncated: boolean;
}

/** Validate the operations and plan them against the reference server; nothing is written. */
export const planBulk = (zone: string, input: BulkInput) =>
  request<BulkPlan>("POST", `/records/${seg(zone)}/bulk`, {
    rawBody: input.body,
    contentType: input.contentType,
    query: { dry_run: "true" },
  });

/** Apply the operations on every target server (one atomic PATCH per server). */
export const applyBulk = (zone: string, input: BulkInput) =>
  multiWrite("POST", `/records/${seg(zone)}/bulk`, `Bulk change in ${zone}`, {
    rawBody: input.body,
    contentType: input.contentType,
  });

/** The RRsets a name pattern (and type) matches now. */
export const previewDelete = (zone: string, name: string, type: string) =>
  request<DeletePreview>("POST", `/records/${seg(zone)}/bulk/delete`, {
    body: { name, type: type || null, dry_run: true },
  });

/** Delete every RRset the pattern matches when the request arrives. */
export const deleteMatching = (zone: string, name: string, type: string) =>
  multiWrite("POST", `/records/${seg(zone)}/bulk/delete`, `Delete ${name} ${type} in ${zone}`, {
    body: { name, type: type || null, dry_run: false },
  });
