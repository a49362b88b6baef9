import type { ReactNode } from "react";
import { CopyButton } from "./CopyButton";
import { Field } from "./Field";
import { Modal } from "./Modal";

interface Props {
  title: string;
  /** What the secret is for and how to use it (after "Copy the secret now: shown only once."). */
  children: ReactNode;
  /** Read-only fields, the secret first; each selects itself on focus. */
  fields: { label: string; value: string }[];
  copyLabel: string;
  onClose: () => void;
}

/** The end of a create dialog whose secret the server shows once: the fields and a copy button. */
export function SecretOnceDialog({ title, children, fields, copyLabel, onClose }: Props) {
  return (
    <Modal title={title} onClose={onClose}>
      <p>
        Copy the secret now: <strong>it is shown only once</strong>. {children}
      </p>
      {fields.map((field) => (
        <Field key={field.label} label={field.label}>
          <input readOnly value={field.value} onFocus={(e) => e.target.select()} />
        </Field>
      ))}
      <div className="dialog-actions">
        <CopyButton text={fields[0].value} label={copyLabel} />
        <button type="button" onClick={onClose}>
          Done
        </button>
      </div>
    </Modal>
  );
}
