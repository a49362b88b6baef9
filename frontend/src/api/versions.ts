import { multiWrite, request } from "./client";
import type { Page, ZoneVersion } from "./types";

const seg = encodeURIComponent;

export interface PublicRRset {
  name: string;
  type: string;
  ttl: number;
  records: { content: string; disabled: boolean }[];
}

/** The dry-run answer of a rollback: services/imports.py Plan.public() + diff_public(). */
export interface RollbackPlan {
  zone: string;
  version: number;
  dry_run: boolean;
  zone_exists: boolean;
  serial: number | null;
  notes: string[];
  plan: ZonePlan;
}

/** services/zonestate.py diff_public(): what a rollback or an import changes. */
export interface ZonePlan {
  adds: number;
  changes: number;
  deletes: number;
  added: PublicRRset[];
  changed: { name: string; type: string; before: PublicRRset; after: PublicRRset }[];
  deleted: PublicRRset[];
  truncated: boolean;
}

export const listVersions = (zone: string, page: number, perPage: number) =>
  request<Page<ZoneVersion>>("GET", `/zones/${seg(zone)}/versions`, {
    query: { page, per_page: perPage },
  });

export const planRollback = (zone: string, version: number) =>
  request<RollbackPlan>("POST", `/zones/${seg(zone)}/versions/${version}/rollback`, {
    query: { dry_run: "true" },
  });

export const rollback = (zone: string, version: number, expectSerial: number | null) =>
  multiWrite(
    "POST",
    `/zones/${seg(zone)}/versions/${version}/rollback`,
    `Roll ${zone} back to version ${version}`,
    { query: { expect_serial: expectSerial } },
  );

/** GET/PUT /api/settings/versions (schemas/versions.py VersionSettingsPublic). */
export interface RetentionValues {
  max_per_zone: number | null;
  max_age_days: number | null;
}

export interface VersionSettings {
  max_per_zone: number;
  max_age_days: number;
  stored: RetentionValues;
  defaults: { max_per_zone: number; max_age_days: number };
}

export const readVersionSettings = () => request<VersionSettings>("GET", "/settings/versions");
export const setVersionSettings = (values: RetentionValues) =>
  request<VersionSettings>("PUT", "/settings/versions", { body: values });
