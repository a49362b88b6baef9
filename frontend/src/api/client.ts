// The one HTTP client for DNSMate's API. Reads throw ApiError; multi-server writes resolve
// to an Outcome (2xx, 207) or throw ApiError carrying the red Outcome (400/404/409 bodies
// with `errors`). Nothing here retries: TanStack Query decides, and mutations never retry.

import { ptrLines } from "./ptr";
import type { PtrResult } from "./ptr";
import { getToken, setToken } from "./token";
import type { MultiBody, Outcome } from "./types";

export class ApiError extends Error {
  readonly status: number;
  readonly body: unknown;
  /** The input field a 422 names (`field` key, or the last `loc` of a pydantic error). */
  readonly field: string | null;
  /** Set when the body is a multi-server failure (every target failed). */
  readonly outcome: Outcome | null;

  constructor(status: number, body: unknown, outcome: Outcome | null = null) {
    super(errorMessage(status, body));
    this.name = "ApiError";
    this.status = status;
    this.body = body;
    this.field = errorField(body);
    this.outcome = outcome;
  }
}

type Method = "GET" | "POST" | "PUT" | "DELETE";
type Query = Record<string, string | number | undefined | null>;
/** ``rawBody`` is sent as text/plain unless ``contentType`` says otherwise (text/csv). */
type Options = { body?: unknown; query?: Query; rawBody?: string; contentType?: string };

export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const qs = params.toString();
  return `/api${path}${qs ? `?${qs}` : ""}`;
}

async function send(method: Method, path: string, options: Options) {
  const { body, query, rawBody } = options;
  const headers: Record<string, string> = { Accept: "application/json" };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (rawBody !== undefined) headers["Content-Type"] = options.contentType ?? "text/plain";
  else if (body !== undefined) headers["Content-Type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(buildUrl(path, query), {
      method,
      headers,
      body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
  } catch (exc) {
    throw new ApiError(0, { message: `DNSMate is unreachable: ${String(exc)}` });
  }
  const text = await response.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { message: text };
    }
  }
  if (response.status === 401 && token && path !== "/auth/login") setToken(null);
  return { status: response.status, data };
}

/** A read or a single-server write: the parsed body, or ApiError. */
export async function request<T>(method: Method, path: string, options: Options = {}): Promise<T> {
  const { status, data } = await send(method, path, options);
  if (status < 200 || status >= 300) throw new ApiError(status, data);
  return data as T;
}

/** A write that fans out to the target servers: the Outcome to show, or ApiError. */
export async function multiWrite(
  method: Method,
  path: string,
  title: string,
  options: Options = {},
): Promise<Outcome> {
  const { status, data } = await send(method, path, options);
  const body = (data ?? {}) as MultiBody;
  const outcome = toOutcome(status, body, title);
  if (outcome === null) throw new ApiError(status, data);
  if (outcome.kind === "failure") throw new ApiError(status, data, outcome);
  return outcome;
}

/** Classify a multi-server answer; null when the body is not a multi-server result. */
export function toOutcome(status: number, body: MultiBody, title: string): Outcome | null {
  const servers = body.servers ?? [];
  const succeeded = body.success_servers ?? servers.filter((s) => s.success).map((s) => s.server);
  const extra = {
    queued: body.queued_servers ?? [],
    skipped: body.skipped_servers ?? [],
    rolledBack: body.rolled_back_servers ?? [],
    notes: ptrLines(body.ptr as PtrResult | undefined),
  };
  // 207, and a 202 "queued for later" (partial_success without any server done yet), are
  // never plain successes.
  if (status === 207 || (status >= 200 && status < 300 && body.partial_success === true)) {
    return {
      kind: "partial",
      title,
      status,
      message: body.message,
      succeeded,
      failures: body.failed_servers ?? failureLines(body),
      ...extra,
    };
  }
  if (status >= 200 && status < 300) {
    return {
      kind: "success",
      title,
      status,
      message: body.message,
      succeeded,
      failures: [],
      notes: extra.notes,
    };
  }
  // A 422 listing invalid rows (objects with row numbers) is an input error, not a fan-out.
  if (Array.isArray(body.errors) && body.errors.every((e) => typeof e === "string")) {
    return {
      kind: "failure",
      title,
      status,
      message: body.message,
      succeeded: [],
      failures: body.errors,
      ...extra,
    };
  }
  return null;
}

function failureLines(body: MultiBody): string[] {
  return (body.servers ?? []).filter((s) => !s.success).map((s) => `${s.server}: ${s.error}`);
}

interface PydanticError {
  loc?: (string | number)[];
  msg?: string;
}

function errorMessage(status: number, body: unknown): string {
  const b = (body ?? {}) as { message?: unknown; detail?: unknown };
  if (typeof b.message === "string" && b.message) return b.message;
  if (typeof b.detail === "string" && b.detail) return b.detail;
  if (Array.isArray(b.detail) && b.detail.length > 0) {
    const first = b.detail[0] as PydanticError;
    const where = first.loc ? first.loc.filter((p) => p !== "body").join(".") : "";
    return where ? `${where}: ${first.msg ?? "invalid"}` : (first.msg ?? "Invalid input");
  }
  return `Request failed (HTTP ${status})`;
}

function errorField(body: unknown): string | null {
  const b = (body ?? {}) as { field?: unknown; detail?: unknown };
  if (typeof b.field === "string") return b.field;
  if (Array.isArray(b.detail) && b.detail.length > 0) {
    const loc = (b.detail[0] as PydanticError).loc ?? [];
    const last = loc[loc.length - 1];
    if (loc[0] === "body" && typeof last === "string") return last;
  }
  return null;
}

/** The message for one field from an error, or undefined when it names another field. */
export function fieldError(error: unknown, field: string): string | undefined {
  if (error instanceof ApiError && error.field === field) {
    const b = (error.body ?? {}) as { detail?: unknown };
    if (Array.isArray(b.detail) && b.detail.length > 0) {
      const msg = (b.detail[0] as PydanticError).msg;
      if (msg) return msg;
    }
    return error.message;
  }
  return undefined;
}

/** The message to show at the top of a form: errors that name no field and no server. */
export function formError(error: unknown): string | undefined {
  if (!error) return undefined;
  if (error instanceof ApiError) return error.field || error.outcome ? undefined : error.message;
  return error instanceof Error ? error.message : String(error);
}
