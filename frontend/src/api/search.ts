// Global search: dnsmate/api/routes/search.py (scoped by the API to the caller's zones).
import { request } from "./client";
import type { components } from "./schema";

/** A zone (type/content null) or a record. */
export type SearchItem = components["schemas"]["SearchItem"];

/** ``total`` is null when there are more matches than were scanned. */
export type SearchPage = components["schemas"]["SearchPublic"];

export interface SearchQuery {
  q: string;
  page: number;
  per_page: number;
  object_type?: string;
  record_type?: string;
}

export const searchAll = (query: SearchQuery) =>
  request<SearchPage>("GET", "/search", { query: { ...query } });
