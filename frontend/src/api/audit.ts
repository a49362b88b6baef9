// The audit log: dnsmate/api/routes/audit.py, schemas/audit.py.
import { request } from "./client";
import type { Page } from "./types";

export interface AuditEvent {
  id: number;
  created_at: string;
  user_id: number | null;
  user_email: string | null;
  via: string;
  client_ip: string | null;
  action: string;
  zone: string | null;
  target: string | null;
  outcome: string;
  before: unknown;
  after: unknown;
  servers: unknown;
  detail: string | null;
}

export interface AuditQuery {
  page: number;
  per_page: number;
  zone?: string;
  user?: string;
  action?: string;
  since?: string;
}

export const listAudit = (query: AuditQuery) =>
  request<Page<AuditEvent>>("GET", "/audit", { query: { ...query } });
