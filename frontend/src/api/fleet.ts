// Fleet operations (admin only): onboarding and retiring servers, reconcile everything, and
// the jobs that carry them out (dnsmate/api/routes/lifecycle.py, reconcile_all.py, jobs.py).
import { request } from "./client";
import type { components } from "./schema";

type Schemas = components["schemas"];

export type OnboardPlan = Schemas["OnboardPlan"];
export type ZoneCopy = Schemas["ZoneCopyPublic"];
export type FleetJob = Schemas["JobPublic"];
export type ReconcileAllPlan = Schemas["ReconcileAllPlan"];

const BASE = "/settings/powerdns";

export const readOnboardPlan = (server: number, source: number) =>
  request<OnboardPlan>("GET", `${BASE}/${server}/onboard/plan`, { query: { source } });
export const startOnboarding = (server: number, source: number, force: boolean) =>
  request<FleetJob>("POST", `${BASE}/${server}/onboard`, { body: { source, force } });
export const retireServer = (server: number, deleteZones: boolean) =>
  request<FleetJob>("POST", `${BASE}/${server}/retire`, { body: { delete_zones: deleteZones } });
export const readJob = (id: number) => request<FleetJob>("GET", `/jobs/${id}`);
/** Ask a running job to stop before its next zone (it then reads "cancelled"). */
export const cancelJob = (id: number) => request<FleetJob>("POST", `/jobs/${id}/cancel`);
export const readReconcileAllPlan = (source: number, deep: boolean) =>
  request<ReconcileAllPlan>("POST", "/sync/reconcile", { body: { source, deep, dry_run: true } });
export const startReconcileAll = (source: number, deep: boolean, force: boolean) =>
  request<FleetJob>("POST", "/sync/reconcile", {
    body: { source, deep, force, dry_run: false },
  });
