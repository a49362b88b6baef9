import type { SoaDefaults, SoaFields } from "../api/soa";

/** The SOA fields in form order, with their labels and hints. */
export const SOA_FIELDS = [
  ["primary", "Primary name server", "The zone's master name server (MNAME)"],
  ["hostmaster", "Hostmaster", "E-mail of the person responsible (hostmaster@example.com)"],
  ["refresh", "Refresh (seconds)", "How often secondaries check the serial"],
  ["retry", "Retry (seconds)", "How soon secondaries retry after a failed check"],
  ["expire", "Expire (seconds)", "When secondaries stop answering without the primary"],
  ["minimum", "Negative TTL (seconds)", "How long resolvers cache “no such name”"],
  ["ttl", "SOA TTL (seconds)", "TTL of the SOA record itself"],
] as const;

export type SoaKey = (typeof SOA_FIELDS)[number][0];
/** The form's text for each field: empty means "not set here". */
export type SoaDraft = Record<SoaKey, string>;

const NAMES: SoaKey[] = ["primary", "hostmaster"];

export function soaDraft(fields?: Partial<Record<SoaKey, unknown>> | null): SoaDraft {
  const draft = {} as SoaDraft;
  for (const [key] of SOA_FIELDS) {
    const value = fields?.[key];
    draft[key] = value === null || value === undefined ? "" : String(value);
  }
  return draft;
}

/** The request body: names as typed, numbers as numbers (anything else as typed, for the
 * server to name the field), empty fields as null. */
export function soaBody(draft: SoaDraft): SoaFields {
  const body: Record<string, string | number | null> = {};
  for (const [key] of SOA_FIELDS) {
    const text = draft[key].trim();
    const number = Number(text);
    body[key] =
      text === "" ? null : NAMES.includes(key) || !Number.isInteger(number) ? text : number;
  }
  return body as SoaFields;
}

/** True when no field is set (a zone request then sends no SOA at all). */
export const soaEmpty = (draft: SoaDraft) => Object.values(draft).every((v) => v.trim() === "");

/** What an empty SOA field becomes: the template's (for a zone made from one), Settings'
 * or the built-in default. */
export function soaPlaceholders(
  defaults: SoaDefaults | undefined,
  template?: SoaFields | null,
): Partial<Record<SoaKey, string>> {
  const out: Partial<Record<SoaKey, string>> = {};
  for (const [key] of SOA_FIELDS) {
    const value = template?.[key] ?? defaults?.[key] ?? defaults?.builtin?.[key];
    if (value !== null && value !== undefined) out[key] = String(value);
  }
  return out;
}
