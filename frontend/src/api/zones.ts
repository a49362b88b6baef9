import { multiWrite, request } from "./client";
import type { Page, Zone, ZoneCreate, ZoneDetail } from "./types";

const seg = encodeURIComponent;

export interface ZoneQuery {
  page: number;
  per_page: number;
  search?: string;
  /** Browse this server (any configured one) instead of the write targets. */
  server?: number;
}

export const listZones = (query: ZoneQuery) =>
  request<Page<Zone>>("GET", "/zones", { query: { ...query } });
export const readZone = (zone: string, server?: number) =>
  request<ZoneDetail>("GET", `/zones/${seg(zone)}`, { query: { server } });
export const createZone = (body: ZoneCreate) =>
  multiWrite("POST", "/zones", `Create zone ${body.name}`, { body });
export const deleteZone = (zone: string) =>
  multiWrite("DELETE", `/zones/${seg(zone)}`, `Delete zone ${zone}`);
/** A new zone with a copy of ``zone``'s records, on every target. */
export const cloneZone = (zone: string, name: string) =>
  multiWrite("POST", `/zones/${seg(zone)}/clone`, `Clone ${zone} as ${name}`, {
    body: { name },
  });
