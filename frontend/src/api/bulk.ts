// Bulk record changes: dnsmate/api/routes/bulk.py (operations as JSON or CSV, delete by filter).
import { multiWrite, request } from "./client";
import type { BulkInput } from "../lib/bulk";
import type { components } from "./schema";

const seg = encodeURIComponent;

/** The dry-run answer of POST /records/{zone}/bulk?dry_run=true. */
export type BulkPlan = components["schemas"]["BulkPlan"];

/** The preview of POST /records/{zone}/bulk/delete (dry_run, the default). */
export type DeletePreview = components["schemas"]["BulkDeletePlan"];

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
