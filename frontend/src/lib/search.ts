// Global search results: where a hit links to, and which part of a value matched.
import type { SearchItem } from "../api/search";
import { relativeName } from "./names";

/** The zone page, filtered to the record's name and type, with the record highlighted. */
export function resultLink(item: SearchItem): string {
  const zone = `/zones/${encodeURIComponent(item.zone)}`;
  if (item.object_type === "zone") return zone;
  const params = new URLSearchParams({ name: relativeName(item.name, item.zone) });
  if (item.type) params.set("type", item.type);
  if (item.content !== null) params.set("highlight", item.content);
  return `${zone}?${params.toString()}`;
}

export interface Part {
  text: string;
  match: boolean;
}

/**
 * ``text`` cut around the first case-insensitive occurrence of a plain search term; a
 * wildcard pattern (``*``, ``?``) matches whole values, so nothing is marked for it.
 */
export function matchParts(text: string, query: string): Part[] {
  const term = query.trim();
  if (!term || term.includes("*") || term.includes("?")) return [{ text, match: false }];
  const at = text.toLowerCase().indexOf(term.toLowerCase());
  if (at < 0) return [{ text, match: false }];
  return [
    { text: text.slice(0, at), match: false },
    { text: text.slice(at, at + term.length), match: true },
    { text: text.slice(at + term.length), match: false },
  ].filter((p) => p.text !== "");
}
