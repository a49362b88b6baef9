// Zone files: dnsmate/api/routes/zonefiles.py (export, import with a dry-run plan).
import { ApiError, buildUrl, multiWrite, request } from "./client";
import { getToken } from "./token";
import type { ZonePlan } from "./versions";

const seg = encodeURIComponent;

export interface ImportPlan {
  zone: string;
  mode: "merge" | "replace";
  zone_exists: boolean;
  serial: number | null;
  notes: string[];
  plan: ZonePlan;
  dry_run: boolean;
}

/** The zone as an RFC 1035 zone file. */
export async function exportZone(zone: string): Promise<string> {
  const response = await fetch(buildUrl(`/zones/${seg(zone)}/export`), {
    headers: { Authorization: `Bearer ${getToken() ?? ""}` },
  });
  const text = await response.text();
  if (!response.ok) {
    let body: unknown = { message: text };
    try {
      body = JSON.parse(text);
    } catch {
      /* plain text error */
    }
    throw new ApiError(response.status, body);
  }
  return text;
}

/** What importing ``text`` would change (nothing is written). */
export const planImport = (zone: string, text: string, mode: string) =>
  request<ImportPlan>("POST", `/zones/${seg(zone)}/import`, {
    rawBody: text,
    query: { mode, dry_run: "true" },
  });

/** Apply the import on every target server (one atomic PATCH per server). */
export const applyImport = (zone: string, text: string, mode: string, serial: number | null) =>
  multiWrite("POST", `/zones/${seg(zone)}/import`, `Import into ${zone}`, {
    rawBody: text,
    query: { mode, dry_run: "false", expect_serial: serial },
  });
