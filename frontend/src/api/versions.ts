import { ApiError, buildUrl, multiWrite, request } from "./client";
import { getToken } from "./token";
import type { components } from "./schema";
import type { Page, ZoneVersion } from "./types";

type Schemas = components["schemas"];

const seg = encodeURIComponent;

export type PublicRRset = Schemas["RRsetPublic"];

/** The dry-run answer of a rollback: the plan that makes the zone equal to the version. */
export type RollbackPlan = Schemas["VersionPlan"];

/** What a rollback or an import changes: RRsets added, changed, deleted, with counts. */
export type ZonePlan = Schemas["RRsetPlan"];

/** One page of versions, newest first; with ``name`` only those that touched that name. */
export const listVersions = (zone: string, page: number, perPage: number, name?: string) =>
  request<Page<ZoneVersion>>("GET", `/zones/${seg(zone)}/versions`, {
    query: { page, per_page: perPage, name },
  });

/** A version and the RRsets it added, changed and removed (at ``name`` if given). */
export type VersionChanges = Schemas["VersionChanges"];
export const versionChanges = (zone: string, version: number, name?: string) =>
  request<VersionChanges>("GET", `/zones/${seg(zone)}/versions/${version}/changes`, {
    query: { name },
  });

/** What changed from version ``from`` to the latest one. */
export type VersionDiff = Schemas["VersionDiff"];
export const compareWithLatest = (zone: string, from: number) =>
  request<VersionDiff>("GET", `/zones/${seg(zone)}/versions/compare`, { query: { from } });

/** The zone as of a version, as a zone file (text). */
export async function exportVersion(zone: string, version: number): Promise<string> {
  const response = await fetch(buildUrl(`/zones/${seg(zone)}/versions/${version}/export`), {
    headers: { Authorization: `Bearer ${getToken() ?? ""}` },
  });
  const text = await response.text();
  if (!response.ok) throw new ApiError(response.status, { message: text });
  return text;
}

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
