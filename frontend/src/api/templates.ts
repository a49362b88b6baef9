import { request } from "./client";
import type { SoaFields } from "./soa";

/** schemas/templates.py TemplateRecord: names are `@` or relative to the zone. */
export interface TemplateRecord {
  name: string;
  type: string;
  content: string;
  /** null: the template's default TTL. */
  ttl: number | null;
}

/** A record as the editor sends it: a TTL the user typed that is not a number goes as text,
 * so the server's 422 names the row and field. */
export interface TemplateRecordInput extends Omit<TemplateRecord, "ttl"> {
  ttl: number | string | null;
}

/** schemas/templates.py TemplatePublic */
export interface ZoneTemplate {
  id: number;
  name: string;
  description: string;
  default_ttl: number;
  nameservers: string[];
  soa_edit_api: string;
  /** SOA fields of zones made from it (absent or null: Settings' defaults). */
  soa?: SoaFields | null;
  records: TemplateRecord[];
  created_at: string;
  updated_at: string;
}

/** schemas/templates.py TemplateCreate (TemplateUpdate takes the same fields). */
export interface TemplateCreate {
  name: string;
  description: string;
  default_ttl: number | string;
  nameservers: string[];
  soa_edit_api: string;
  /** SOA fields of zones made from it; every field null clears them (Settings apply). */
  soa?: SoaFields | null;
  records: TemplateRecordInput[];
}

/** services/zonedata/templates.py SOA_EDIT_API */
export const SOA_EDIT_API = [
  "DEFAULT",
  "INCREASE",
  "EPOCH",
  "SOA-EDIT",
  "SOA-EDIT-INCREASE",
  "OFF",
] as const;

export const listTemplates = () =>
  request<{ items: ZoneTemplate[]; total: number }>("GET", "/templates");
export const createTemplate = (body: TemplateCreate) =>
  request<ZoneTemplate>("POST", "/templates", { body });
export const updateTemplate = (id: number, body: TemplateCreate) =>
  request<ZoneTemplate>("PUT", `/templates/${id}`, { body });
export const deleteTemplate = (id: number) => request<null>("DELETE", `/templates/${id}`);
/** "Save this zone as a template": its records with relative names, its NS and TTL. */
export const templateFromZone = (zone: string, body: { name: string; description: string }) =>
  request<ZoneTemplate>("POST", `/templates/from-zone/${encodeURIComponent(zone)}`, { body });
