import { multiWrite, request } from "./client";
import type { components } from "./schema";
import type { Page, ZoneVersion } from "./types";

type Schemas = components["schemas"];

const seg = encodeURIComponent;

export type PublicRRset = Schemas["RRsetPublic"];

/** The dry-run answer of a rollback: the plan that makes the zone equal to the version. */
export type RollbackPlan = Schemas["VersionPlan"];

/** What a rollback or an import changes: RRsets added, changed, deleted, with counts. */
export type ZonePlan = Schemas["RRsetPlan"];

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

/** GET/PUT /api/settings/versions. */
export type RetentionValues = Schemas["RetentionValues"];
export type VersionSettings = Schemas["VersionSettingsPublic"];

export const readVersionSettings = () => request<VersionSettings>("GET", "/settings/versions");
export const setVersionSettings = (values: RetentionValues) =>
  request<VersionSettings>("PUT", "/settings/versions", { body: values });
