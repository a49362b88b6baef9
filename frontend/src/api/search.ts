// Global search: dnsmate/api/routes/search.py (scoped by the API to the caller's zones).
import { request } from "./client";

/** services/search.py: a zone (type/content null) or a record. */
export interface SearchItem {
  object_type: "zone" | "record";
  zone: string;
  name: string;
  type: string | null;
  content: string | null;
  ttl: number | null;
  disabled: boolean;
}

export interface SearchPage {
  items: SearchItem[];
  /** Null when there are more matches than were scanned. */
  total: number | null;
  has_more: boolean;
  page: number;
  per_page: number;
}

export interface SearchQuery {
  q: string;
  page: number;
  per_page: number;
  object_type?: string;
  record_type?: string;
}

export const searchAll = (query: SearchQuery) =>
  request<SearchPage>("GET", "/search", { query: { ...query } });
