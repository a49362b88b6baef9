// Automatic PTR records: dnsmate/api/routes/record_settings.py and POST /zones/{zone}/ptr.
import { request } from "./client";
import type { components } from "./schema";

const seg = encodeURIComponent;

export type RecordSettings = components["schemas"]["RecordSettingsPublic"];

/** What PTR upkeep did: the reverse zones changed, and why some addresses got none. */
export interface PtrResult {
  zones: { zone: string; success_servers: string[]; failed_servers: string[] }[];
  notes: string[];
  addresses?: number;
}

export const readRecordSettings = () => request<RecordSettings>("GET", "/settings/records");
export const setRecordSettings = (body: RecordSettings) =>
  request<RecordSettings>("PUT", "/settings/records", { body });

/** Add the PTR of every A/AAAA record of ``zone`` to the managed reverse zones. */
export const createZonePtrs = (zone: string) =>
  request<PtrResult>("POST", `/zones/${seg(zone)}/ptr`);

/** The lines an outcome notice shows for a PTR result. */
export function ptrLines(ptr: PtrResult | undefined): string[] {
  if (!ptr) return [];
  return [
    ...ptr.zones.map(
      (z) =>
        `PTR in ${z.zone}: ` +
        (z.failed_servers.length === 0
          ? `applied on ${z.success_servers.join(", ")}`
          : `failed on ${z.failed_servers.join("; ")}`),
    ),
    ...ptr.notes,
  ];
}
