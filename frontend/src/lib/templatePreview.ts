// What a template will create in a zone, for showing before the zone is created. The server
// does the real expansion (services/zonedata/templates.py template_rrsets); this mirrors it for display.

import type { TemplateRecord } from "../api/templates";

/** The record name `name` (`@` or relative) in `zone`, without the trailing dot. */
export function nameInZone(name: string, zone: string): string {
  const bare = zone.trim().replace(/\.$/, "");
  const n = name.trim() || "@";
  if (!bare) return n;
  return n === "@" ? bare : `${n}.${bare}`;
}

// Where the host name sits in the content of the types that carry one.
const NAME_FIELD: Record<string, number> = { CNAME: 0, NS: 0, PTR: 0, DNAME: 0, MX: 1, SRV: 3 };

/** Content with a relative host name made absolute (`10 mail` -> `10 mail.example.com.`). */
export function contentInZone(type: string, content: string, zone: string): string {
  const bare = zone.trim().replace(/\.$/, "");
  const at = NAME_FIELD[type.toUpperCase()];
  if (!bare || at === undefined) return content;
  const parts = content.trim().split(/\s+/);
  const host = parts[at];
  if (host === undefined || host.endsWith(".")) return content;
  parts[at] = host === "@" ? `${bare}.` : `${host}.${bare}.`;
  return parts.join(" ");
}

export interface PreviewLine {
  name: string;
  type: string;
  content: string;
  ttl: number;
}

/** The template's records as they would appear in `zone` (names kept relative if no zone). */
export function previewRecords(
  records: TemplateRecord[],
  zone: string,
  defaultTtl: number,
): PreviewLine[] {
  return records.map((r) => ({
    name: nameInZone(r.name, zone),
    type: r.type,
    content: contentInZone(r.type, r.content, zone),
    ttl: r.ttl ?? defaultTtl,
  }));
}
