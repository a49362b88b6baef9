// The audit log: dnsmate/api/routes/audit.py, schemas/audit.py.
import { request } from "./client";
import type { components } from "./schema";
import type { Page } from "./types";

export type AuditEvent = components["schemas"]["AuditEventPublic"];

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
