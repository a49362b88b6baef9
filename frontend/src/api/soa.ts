import { multiWrite, request } from "./client";
import type { components } from "./schema";

type Schemas = components["schemas"];

const seg = encodeURIComponent;

/** SOA fields; null (or absent) means "not set here": the next default applies. */
export type SoaFields = Schemas["SoaFields"];
export type SoaDefaults = Schemas["SoaDefaultsPublic"];
export type ZoneSoa = Schemas["SoaPublic"];

export const readSoaDefaults = () => request<SoaDefaults>("GET", "/settings/soa");
export const setSoaDefaults = (fields: SoaFields) =>
  request<SoaDefaults>("PUT", "/settings/soa", { body: fields });

export const readZoneSoa = (zone: string) => request<ZoneSoa>("GET", `/zones/${seg(zone)}/soa`);
export const updateZoneSoa = (zone: string, fields: SoaFields) =>
  multiWrite("PUT", `/zones/${seg(zone)}/soa`, `Update the SOA of ${zone}`, { body: fields });
