import { multiWrite, request } from "./client";
import type { components } from "./schema";

type Schemas = components["schemas"];

const seg = encodeURIComponent;

export type ZoneSettings = Schemas["ZoneSettingsPublic"];
export type ZoneSettingsUpdate = Schemas["ZoneSettingsUpdate"];
export type CatalogMembers = Schemas["CatalogMembersPublic"];
export type TsigKey = Schemas["TSIGKeyPublic"];
export type TsigKeySecret = Schemas["TSIGKeySecret"];
export type TsigKeyCreate = Schemas["TSIGKeyCreate"];
export type TsigKeyUpdate = Schemas["TSIGKeyUpdate"];

export const readZoneSettings = (zone: string) =>
  request<ZoneSettings>("GET", `/zones/${seg(zone)}/settings`);
export const updateZoneSettings = (zone: string, body: ZoneSettingsUpdate) =>
  multiWrite("PUT", `/zones/${seg(zone)}/settings`, `Update the settings of ${zone}`, { body });
export const readCatalogMembers = (zone: string) =>
  request<CatalogMembers>("GET", `/zones/${seg(zone)}/members`);
export const notifyZone = (zone: string) =>
  multiWrite("POST", `/zones/${seg(zone)}/notify`, `Send NOTIFY for ${zone}`);
export const retrieveZone = (zone: string) =>
  multiWrite("POST", `/zones/${seg(zone)}/axfr-retrieve`, `Retrieve ${zone} from its masters`);

export const listTsigKeys = () => request<{ items: TsigKey[] }>("GET", "/tsigkeys");
export const createTsigKey = (body: TsigKeyCreate) =>
  multiWrite("POST", "/tsigkeys", `Create TSIG key ${body.name}`, { body });
export const revealTsigKey = (name: string) =>
  request<TsigKeySecret>("GET", `/tsigkeys/${seg(name)}/secret`);
export const updateTsigKey = (name: string, body: TsigKeyUpdate) =>
  multiWrite("PUT", `/tsigkeys/${seg(name)}`, `Update TSIG key ${name}`, { body });
export const deleteTsigKey = (name: string) =>
  multiWrite("DELETE", `/tsigkeys/${seg(name)}`, `Delete TSIG key ${name}`);
