import { multiWrite, request } from "./client";
import type { DnsRecord, Page, RecordComment, RecordCreate, RecordUpdate } from "./types";

const seg = encodeURIComponent;
const flag = (value?: boolean) => (value === undefined ? undefined : String(value));

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

/** ``ptr``: keep the PTR in the reverse zone in step (A/AAAA); undefined: the default. */
export const createRecord = (zone: string, body: RecordCreate, ptr?: boolean) =>
  multiWrite("POST", `/records/${seg(zone)}`, `Add ${body.type} record ${body.name}`, {
    body,
    query: { ptr: flag(ptr) },
  });

export const updateRecord = (zone: string, record: DnsRecord, body: RecordUpdate, ptr?: boolean) =>
  multiWrite(
    "PUT",
    `/records/${seg(zone)}/${seg(record.name)}/${seg(record.type)}`,
    `Update ${record.type} record ${record.name}`,
    { body, query: { ptr: flag(ptr) } },
  );

export const deleteRecord = (zone: string, record: DnsRecord, ptr?: boolean) =>
  multiWrite(
    "DELETE",
    `/records/${seg(zone)}/${seg(record.name)}/${seg(record.type)}`,
    `Delete ${record.type} record ${record.name}`,
    { query: { content: record.content, ptr: flag(ptr) } },
  );

const rrsetPath = (zone: string, record: DnsRecord) =>
  `/records/${seg(zone)}/${seg(record.name)}/${seg(record.type)}`;

/** Disable (kept, not served) or enable one record on every target server. */
export const setRecordDisabled = (zone: string, record: DnsRecord, disabled: boolean) =>
  multiWrite(
    "PUT",
    `${rrsetPath(zone, record)}/disabled`,
    `${disabled ? "Disable" : "Enable"} ${record.type} record ${record.name}`,
    { body: { content: record.content, disabled } },
  );

/** Set the comments of the record's RRset (its name and type) on every target server. */
export const setRecordComments = (zone: string, record: DnsRecord, comments: RecordComment[]) =>
  multiWrite(
    "PUT",
    `${rrsetPath(zone, record)}/comments`,
    `Comments of ${record.type} ${record.name}`,
    { body: { comments } },
  );
