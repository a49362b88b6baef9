import { request } from "./client";
import type { DnsUpdateKey, DnsUpdateKeyCreate, DnsUpdateKeyCreated } from "./types";

export const listDnsUpdateKeys = () => request<DnsUpdateKey[]>("GET", "/dns-update/keys");
export const createDnsUpdateKey = (body: DnsUpdateKeyCreate) =>
  request<DnsUpdateKeyCreated>("POST", "/dns-update/keys", { body });
export const deleteDnsUpdateKey = (id: number) => request<null>("DELETE", `/dns-update/keys/${id}`);
