import { useState } from "react";
import type { FormEvent } from "react";
import { fieldError } from "../api/client";
import { keys } from "../api/keys";
import { templateFromZone } from "../api/templates";
import { asOutcome, useChange } from "../hooks/useChange";
import { Field } from "./Field";
import { Modal } from "./Modal";
import { DialogActions } from "./DialogActions";
import { FormError } from "./FormError";

interface Props {
  zone: string;
  onClose: () => void;
}

/** "Save this zone as a template": its records with relative names, its NS, TTL, SOA-EDIT-API. */
export function SaveAsTemplateDialog({ zone, onClose }: Props) {
  const [name, setName] = useState(zone);
  const [description, setDescription] = useState(`Made from ${zone}`);
  const change = useChange<{ name: string; description: string }>({
    run: (body) =>
      asOutcome(`Save ${zone} as template ${body.name}`, () => templateFromZone(zone, body)),
    title: (body) => `Save ${zone} as template ${body.name}`,
    invalidate: [keys.templates],
    fieldsInForm: true,
    onSuccess: onClose,
  });
  const error = change.error;
  // A zone record the template rules refuse names a field this form does not have.
  const onField = fieldError(error, "name") ?? fieldError(error, "description");
  const general = error && !onField ? error.message : undefined;

  function submit(event: FormEvent) {
    event.preventDefault();
    change.mutate({ name: name.trim(), description: description.trim() });
  }

  return (
    <Modal title={`Save ${zone} as a template`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p className="muted">
          The template gets this zone's records (from the server reads go to) with names made
          relative, its name servers and its most common TTL. SOA and DNSSEC records are left out.
        </p>
        <Field label="Template name" error={fieldError(error, "name")}>
          <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
        </Field>
        <Field label="Description" error={fieldError(error, "description")}>
          <textarea rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />
        </Field>
        <FormError message={general} />
        <DialogActions onCancel={onClose} label="Save as template" pending={change.isPending} />
      </form>
    </Modal>
  );
}
