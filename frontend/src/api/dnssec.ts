// DNSSEC signing on every target server: dnsmate/api/routes/dnssec.py, services/zonedata/dnssec.py.
import { multiWrite, request } from "./client";
import type { components } from "./schema";

type Schemas = components["schemas"];

const seg = encodeURIComponent;

export type DnssecKey = Schemas["DNSSECKey"];
export type DnssecServer = Schemas["ServerKeys"];
export type DnssecStatus = Schemas["DNSSECStatus"];

export const ALGORITHMS = ["ECDSAP256SHA256", "ED25519", "RSASHA256"];

export const readDnssec = (zone: string) =>
  request<DnssecStatus>("GET", `/zones/${seg(zone)}/dnssec`);
export const enableDnssec = (zone: string, algorithm: string) =>
  multiWrite("POST", `/zones/${seg(zone)}/dnssec`, `Sign ${zone}`, { body: { algorithm } });
export const disableDnssec = (zone: string) =>
  multiWrite("DELETE", `/zones/${seg(zone)}/dnssec`, `Stop signing ${zone}`);
