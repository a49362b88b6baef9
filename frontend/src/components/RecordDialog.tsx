import { useState } from "react";
import type { FormEvent } from "react";
import { fieldError, formError } from "../api/client";
import { keys } from "../api/keys";
import { createRecord, updateRecord } from "../api/records";
import type { DnsRecord } from "../api/types";
import { useChange } from "../hooks/useChange";
import { relativeName } from "../lib/names";
import { RECORD_TYPES, TYPE_NAMES, typeHint } from "../lib/recordTypes";
import { Field } from "./Field";
import { Modal } from "./Modal";
import { DialogActions } from "./DialogActions";
import { FormError } from "./FormError";

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
  ttl: string;
}

/** Add a record, or edit one record's content and TTL (its siblings stay). */
export function RecordDialog({ zone, record, onClose }: Props) {
  const editing = record !== undefined;
  const [values, setValues] = useState<Values>({
    name: record ? relativeName(record.name, zone) : "",
    type: record?.type ?? "A",
    content: record?.content ?? "",
    ttl: String(record?.ttl ?? 3600),
  });
  const change = useChange<Values>({
    run: (v) =>
      record
        ? updateRecord(zone, record, {
            old_content: record.content,
            content: v.content,
            ttl: Number(v.ttl),
          })
        : createRecord(zone, {
            name: v.name.trim() || "@",
            type: v.type,
            content: v.content,
            ttl: Number(v.ttl),
          }),
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
    change.mutate(values);
  }

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
        <Field
          label="TTL (seconds)"
          hint={editing ? "Applies to every record of this name and type" : "3600 = one hour"}
          error={fieldError(error, "ttl")}
        >
          <input
            type="number"
            min={0}
            inputMode="numeric"
            value={values.ttl}
            onChange={(e) => set("ttl", e.target.value)}
          />
        </Field>
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
