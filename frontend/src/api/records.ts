import { multiWrite, request } from "./client";
import type { DnsRecord, Page, RecordCreate, RecordUpdate } from "./types";

const seg = encodeURIComponent;

export interface RecordQuery {
  page: number;
  per_page: number;
  name?: string;
  type?: string;
  search?: string;
  /** Browse this server (any configured one) instead of the write targets. */
  server?: number;
}

export const listRecords = (zone: string, query: RecordQuery) =>
  request<Page<DnsRecord>>("GET", `/records/${seg(zone)}`, { query: { ...query } });

export const createRecord = (zone: string, body: RecordCreate) =>
  multiWrite("POST", `/records/${seg(zone)}`, `Add ${body.type} record ${body.name}`, { body });

export const updateRecord = (zone: string, record: DnsRecord, body: RecordUpdate) =>
  multiWrite(
    "PUT",
    `/records/${seg(zone)}/${seg(record.name)}/${seg(record.type)}`,
    `Update ${record.type} record ${record.name}`,
    { body },
  );

export const deleteRecord = (zone: string, record: DnsRecord) =>
  multiWrite(
    "DELETE",
    `/records/${seg(zone)}/${seg(record.name)}/${seg(record.type)}`,
    `Delete ${record.type} record ${record.name}`,
    { query: { content: record.content } },
  );
