// Bulk editor input: CSV or JSON text as the bulk API takes it, and its row errors.
import { ApiError } from "../api/client";

export type BulkFormat = "csv" | "json";

/** The text to send and how to label it (dnsmate/api/routes/bulk.py reads the Content-Type). */
export interface BulkInput {
  format: BulkFormat;
  body: string;
  contentType: string;
}

/** One invalid operation: services/zonedata/bulk.py reports every one with its row number. */
export interface RowError {
  row: number;
  field: string;
  message: string;
}

/** The columns the API reads; op, name and type are required, the others depend on op. */
export const CSV_COLUMNS = ["op", "name", "type", "content", "ttl", "old_content"] as const;

export const CSV_EXAMPLE = [
  "op,name,type,content,ttl,old_content",
  "add,www,A,192.0.2.10,300,",
  "add,@,MX,10 mail.example.com.,3600,",
  'add,@,TXT,"""v=spf1 mx -all""",,',
  "update,www,A,192.0.2.11,,192.0.2.10",
  "delete,old,CNAME,,,",
].join("\n");

/** JSON when the text starts like JSON (a list, or {"operations": [...]}), CSV otherwise. */
export function detectFormat(text: string): BulkFormat {
  const start = text.trimStart()[0];
  return start === "[" || start === "{" ? "json" : "csv";
}

export function bulkInput(text: string): BulkInput {
  const format = detectFormat(text);
  return {
    format,
    body: text,
    contentType: format === "json" ? "application/json" : "text/csv",
  };
}

/** The row errors of a refused bulk request, or null when the error is of another kind. */
export function rowErrors(error: unknown): RowError[] | null {
  if (!(error instanceof ApiError) || error.status !== 422) return null;
  const errors = (error.body as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return null;
  const rows = errors.filter(
    (e): e is RowError =>
      typeof e === "object" && e !== null && typeof (e as RowError).row === "number",
  );
  return rows.length > 0 ? rows : null;
}

/**
 * A lookup of the input a row number points at: the CSV line (the API counts file lines,
 * header = 1) or the row-th JSON operation (counted from 1). The text is split or parsed
 * once, however many rows are looked up.
 */
export function sourceLookup(text: string): (row: number) => string | undefined {
  if (detectFormat(text) === "csv") {
    const lines = text.split(/\r?\n/);
    return (row) => lines[row - 1];
  }
  let list: unknown[] = [];
  try {
    const parsed: unknown = JSON.parse(text);
    const ops = Array.isArray(parsed)
      ? parsed
      : (parsed as { operations?: unknown } | null)?.operations;
    if (Array.isArray(ops)) list = ops;
  } catch {
    /* the API names the JSON error */
  }
  return (row) => (row >= 1 && row <= list.length ? JSON.stringify(list[row - 1]) : undefined);
}

/** The input one row number points at (see sourceLookup). */
export const sourceOf = (text: string, row: number) => sourceLookup(text)(row);
