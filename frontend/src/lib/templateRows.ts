// The template editor's rows: what the user types, what is sent, and where a 422 belongs.

import { ApiError } from "../api/client";
import type { TemplateRecord, TemplateRecordInput } from "../api/templates";

/** One editable record row; `key` keeps React's row identity stable while rows move. */
export interface RecordRow {
  key: number;
  name: string;
  type: string;
  content: string;
  /** Empty: the template's default TTL. */
  ttl: string;
}

let nextKey = 1;

export function newRow(values: Partial<Omit<RecordRow, "key">> = {}): RecordRow {
  return { key: nextKey++, name: "", type: "A", content: "", ttl: "", ...values };
}

export function toRows(records: TemplateRecord[]): RecordRow[] {
  return records.map((r) =>
    newRow({
      name: r.name,
      type: r.type,
      content: r.content,
      ttl: r.ttl === null ? "" : String(r.ttl),
    }),
  );
}

/** A row the user left empty (a fresh row with only its type chosen) is not sent. */
export function isBlank(row: RecordRow): boolean {
  return !row.name.trim() && !row.content.trim() && !row.ttl.trim();
}

/** A typed TTL: empty = default (null), digits = a number, anything else as typed. */
export function ttlValue(text: string): number | string | null {
  const t = text.trim();
  if (!t) return null;
  return /^\d+$/.test(t) ? Number(t) : t;
}

/** The records to send, and for each the key of the row it came from. */
export function fromRows(rows: RecordRow[]): { records: TemplateRecordInput[]; rowOf: number[] } {
  const records: TemplateRecordInput[] = [];
  const rowOf: number[] = [];
  rows.forEach((row) => {
    if (isBlank(row)) return;
    records.push({
      name: row.name.trim() || "@",
      type: row.type,
      content: row.content.trim(),
      ttl: ttlValue(row.ttl),
    });
    rowOf.push(row.key);
  });
  return { records, rowOf };
}

/** Split a list typed with spaces, commas or new lines. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Where a template 422 belongs: a form field, or one row's field (`row` = the row's key, so
 * the message stays with its row when rows above it are removed). */
export interface ErrorPlace {
  field: string;
  row?: number;
  message: string;
}

interface Detail {
  loc?: (string | number)[];
  msg?: string;
}

/**
 * The field of a 422 from /api/templates. DNSMate's own checks name `records[2].content`;
 * pydantic's name `["body", "records", 2, "ttl"]`. `rowOf` maps record indexes to row keys.
 */
export function errorPlace(error: unknown, rowOf: number[]): ErrorPlace | null {
  if (!(error instanceof ApiError) || error.status !== 422) return null;
  const body = (error.body ?? {}) as { field?: unknown; detail?: unknown };
  const first = (Array.isArray(body.detail) ? body.detail[0] : undefined) as Detail | undefined;
  const message = first?.msg ?? error.message;
  let path: (string | number)[] = [];
  if (typeof body.field === "string") {
    path = body.field.split(/[.[\]]+/).filter(Boolean);
  } else if (first?.loc) {
    path = first.loc.filter((p) => p !== "body");
  }
  if (path.length === 0) return null;
  if (path[0] === "records" && path.length >= 3) {
    const index = Number(path[1]);
    const row = Number.isInteger(index) ? rowOf[index] : undefined;
    if (row !== undefined) return { field: String(path[2]), row, message };
  }
  return { field: String(path[0]), message };
}
