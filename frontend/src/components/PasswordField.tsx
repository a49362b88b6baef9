import { Field } from "./Field";

interface Props {
  label: string;
  hint?: string;
  error?: string;
  value: string;
  onChange: (value: string) => void;
  /** "current-password" to sign in or confirm, "new-password" to choose one. */
  autoComplete: "current-password" | "new-password";
}

/** A required password input with its label, hint and the server's message for it. */
export function PasswordField({ label, hint, error, value, onChange, autoComplete }: Props) {
  return (
    <Field label={label} hint={hint} error={error}>
      <input
        type="password"
        autoComplete={autoComplete}
        required
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </Field>
  );
}
