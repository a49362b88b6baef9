// DNSSEC signing on every target server: dnsmate/api/routes/dnssec.py, services/dnssec.py.
import { multiWrite, request } from "./client";

const seg = encodeURIComponent;

export interface DnssecKey {
  id: number;
  keytype: string | null;
  flags: number | null;
  algorithm: string | null;
  bits: number | null;
  active: boolean;
  published: boolean;
  dnskey: string;
  ds: string[];
}

export interface DnssecServer {
  server: string;
  success: boolean;
  error: string | null;
  dnssec?: boolean;
  matches_reference?: boolean;
  keys?: DnssecKey[];
}

export interface DnssecStatus {
  name: string;
  dnssec: boolean;
  reference_server: string | null;
  ds: string[];
  ds_records: string[];
  dnskeys_match: boolean;
  mismatched_servers: string[];
  server_keys: DnssecServer[];
}

export const ALGORITHMS = ["ECDSAP256SHA256", "ED25519", "RSASHA256"];

export const readDnssec = (zone: string) =>
  request<DnssecStatus>("GET", `/zones/${seg(zone)}/dnssec`);
export const enableDnssec = (zone: string, algorithm: string) =>
  multiWrite("POST", `/zones/${seg(zone)}/dnssec`, `Sign ${zone}`, { body: { algorithm } });
export const disableDnssec = (zone: string) =>
  multiWrite("DELETE", `/zones/${seg(zone)}/dnssec`, `Stop signing ${zone}`);
