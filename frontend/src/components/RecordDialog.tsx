import { useState } from "react";
import type { FormEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { fieldError, formError } from "../api/client";
import { keys } from "../api/keys";
import { createRecord, listRecords, updateRecord } from "../api/records";
import type { DnsRecord } from "../api/types";
import { useChange } from "../hooks/useChange";
import { useDebounced } from "../hooks/useDebounced";
import { relativeName } from "../lib/names";
import { RECORD_TYPES, TYPE_NAMES, typeHint } from "../lib/recordTypes";
import { Field } from "./Field";
import { Modal } from "./Modal";
import { DialogActions } from "./DialogActions";
import { FormError } from "./FormError";
import { usePtrChoice } from "./PtrCheckbox";

interface Props {
  zone: string;
  /** The record being edited; absent to add a new one. */
  record?: DnsRecord;
  onClose: () => void;
}

interface Values {
  name: string;
  type: string;
  content: string;
  /** What the operator typed; null while they have not touched the TTL. */
  ttl: string | null;
}

const NEW_RRSET_TTL = 3600;
const TTL_ERROR = "Type the TTL in seconds as a whole number, e.g. 3600 (one hour)";

/** The TTL to send: undefined keeps the RRset's own (the server decides), else seconds. */
function ttlToSend(typed: string | null): number | undefined {
  if (typed === null) return undefined;
  const text = typed.trim();
  if (!/^\d+$/.test(text)) throw new TypeError(TTL_ERROR);
  return Number(text);
}

/** The RRset this name and type would join, so its TTL is shown before anything changes. */
function useExistingRRset(zone: string, name: string, type: string, enabled: boolean) {
  const wantedName = useDebounced(name.trim() || "@");
  const wantedType = useDebounced(type);
  const query = { page: 1, per_page: 1, name: wantedName, type: wantedType };
  const found = useQuery({
    queryKey: [...keys.records(zone), "rrset", query],
    queryFn: () => listRecords(zone, query),
    enabled,
  });
  const first = found.data?.items[0];
  return first ? { ttl: first.ttl, count: found.data?.total ?? 1 } : null;
}

/** Add a record, or edit one record's content and TTL (its siblings stay). */
export function RecordDialog({ zone, record, onClose }: Props) {
  const editing = record !== undefined;
  const [values, setValues] = useState<Values>({
    name: record ? relativeName(record.name, zone) : "",
    type: record?.type ?? "A",
    content: record?.content ?? "",
    ttl: record ? String(record.ttl) : null,
  });
  const [ttlError, setTtlError] = useState<string | undefined>();
  const existing = useExistingRRset(zone, values.name, values.type, !editing);
  const shownTtl = values.ttl ?? String(existing?.ttl ?? NEW_RRSET_TTL);
  const { ptr, checkbox: ptrCheckbox } = usePtrChoice(values.type);
  const change = useChange<Values>({
    run: (v) =>
      record
        ? updateRecord(
            zone,
            record,
            {
              old_content: record.content,
              content: v.content,
              ttl: ttlToSend(v.ttl),
            },
            ptr,
          )
        : createRecord(
            zone,
            {
              name: v.name.trim() || "@",
              type: v.type,
              content: v.content,
              ttl: ttlToSend(v.ttl),
            },
            ptr,
          ),
    title: (v) =>
      record
        ? `Update ${record.type} record ${record.name}`
        : `Add ${v.type} record ${v.name || "@"}`,
    invalidate: [keys.records(zone), keys.zone(zone)],
    fieldsInForm: true,
    onSuccess: onClose,
  });
  const error = change.error;

  function set<K extends keyof Values>(key: K, value: Values[K]) {
    setValues((v) => ({ ...v, [key]: value }));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    try {
      ttlToSend(values.ttl);
    } catch (error) {
      setTtlError((error as Error).message);
      return;
    }
    setTtlError(undefined);
    change.mutate(values);
  }

  const ttlHint = editing
    ? "Applies to every record of this name and type"
    : existing
      ? `${plural(existing.count, `${values.type} record`)} at this name already ` +
        `${existing.count === 1 ? "has" : "have"} TTL ${existing.ttl}: the TTL applies to ` +
        "the whole RRset, so a new value here changes theirs too"
      : `${NEW_RRSET_TTL} = one hour; the TTL applies to every record of this name and type`;

  return (
    <Modal
      title={editing ? `Edit ${record.type} record` : `Add record to ${zone}`}
      onClose={onClose}
    >
      <form onSubmit={submit} noValidate>
        <Field
          label="Name"
          hint={
            editing ? record.name : `Relative to ${zone} (“www”), “@” for the apex, or a full name`
          }
          error={fieldError(error, "name")}
        >
          <input
            value={values.name}
            onChange={(e) => set("name", e.target.value)}
            disabled={editing}
            placeholder="@"
            autoComplete="off"
          />
        </Field>
        <Field label="Type" error={fieldError(error, "type")}>
          <select
            value={values.type}
            onChange={(e) => set("type", e.target.value)}
            disabled={editing}
          >
            {TYPE_NAMES.filter((t) => t !== "SOA").map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </Field>
        <Field label="Content" hint={typeHint(values.type)} error={fieldError(error, "content")}>
          <input
            value={values.content}
            onChange={(e) => set("content", e.target.value)}
            placeholder={RECORD_TYPES[values.type]?.example}
            autoComplete="off"
            spellCheck={false}
          />
        </Field>
        <Field label="TTL (seconds)" hint={ttlHint} error={ttlError ?? fieldError(error, "ttl")}>
          <input
            inputMode="numeric"
            value={shownTtl}
            onChange={(e) => set("ttl", e.target.value)}
            data-testid="record-ttl"
          />
        </Field>
        {ptrCheckbox}
        <FormError message={formError(error)} />
        <DialogActions
          onCancel={onClose}
          label={editing ? "Save record" : "Add record"}
          pending={change.isPending}
        />
      </form>
    </Modal>
  );
}

function plural(n: number, word: string): string {
  return n === 1 ? `${n} ${word}` : `${n} ${word}s`;
}
