import { useState } from "react";
import type { FormEvent } from "react";
import { fieldError, formError } from "../api/client";
import { keys } from "../api/keys";
import { cloneZone } from "../api/zones";
import { useChange } from "../hooks/useChange";
import { DialogActions } from "./DialogActions";
import { Field } from "./Field";
import { FormError } from "./FormError";
import { Modal } from "./Modal";

interface Props {
  zone: string;
  /** Called with the new zone's name once it exists on at least one server. */
  onCloned: (name: string) => void;
  onClose: () => void;
}

/** "Clone zone": a new zone with this zone's records, created on every target server. */
export function CloneZoneDialog({ zone, onCloned, onClose }: Props) {
  const [name, setName] = useState("");
  const change = useChange<string>({
    run: (newName) => cloneZone(zone, newName),
    title: (newName) => `Clone ${zone} as ${newName}`,
    invalidate: [keys.zones],
    fieldsInForm: true,
    onSuccess: (_outcome, newName) => onCloned(newName.replace(/\.$/, "")),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    change.mutate(name.trim());
  }

  return (
    <Modal title={`Clone ${zone}`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p className="muted">
          The new zone gets every record of {zone} (from the server reads go to). Names inside{" "}
          {zone}, as record names and in targets such as CNAME and MX, move to the new zone; DNSSEC
          keys are not copied.
        </p>
        <Field label="New zone name" error={fieldError(change.error, "name")}>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder={`copy-of-${zone}`}
            autoComplete="off"
          />
        </Field>
        <FormError message={formError(change.error)} />
        <DialogActions onCancel={onClose} label="Clone zone" pending={change.isPending} />
      </form>
    </Modal>
  );
}
