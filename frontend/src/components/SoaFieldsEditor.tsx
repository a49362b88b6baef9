import { fieldError } from "../api/client";
import { SOA_FIELDS } from "../lib/soa";
import type { SoaDraft, SoaKey } from "../lib/soa";
import { Field } from "./Field";

interface Props {
  value: SoaDraft;
  onChange: (value: SoaDraft) => void;
  /** What an empty field means, per field (the default in force), shown as placeholder. */
  placeholders?: Partial<Record<SoaKey, string>>;
  error?: unknown;
  /** The error's field names start with this ("soa." in a zone or template request). */
  prefix?: string;
}

/** The SOA's fields as a form: two names and five numbers of seconds. */
export function SoaFieldsEditor({ value, onChange, placeholders, error, prefix = "" }: Props) {
  return (
    <div className="soa-fields">
      {SOA_FIELDS.map(([key, label, hint]) => (
        <Field
          key={key}
          label={label}
          hint={hint}
          error={fieldError(error, prefix + key) ?? fieldError(error, key)}
        >
          <input
            value={value[key]}
            inputMode={key === "primary" || key === "hostmaster" ? undefined : "numeric"}
            placeholder={placeholders?.[key]}
            onChange={(e) => onChange({ ...value, [key]: e.target.value })}
            autoComplete="off"
            spellCheck={false}
          />
        </Field>
      ))}
    </div>
  );
}
