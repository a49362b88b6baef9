import { useId } from "react";
import type { ReactElement } from "react";
import { cloneElement } from "react";

interface Props {
  label: string;
  hint?: string;
  error?: string;
  /** One input, select or textarea; it gets the id and the aria attributes. */
  children: ReactElement<Record<string, unknown>>;
}

/** A labelled form control with an optional hint and the server's message for it. */
export function Field({ label, hint, error, children }: Props) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ");
  return (
    <div className={`field${error ? " field-invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, {
        id,
        "aria-invalid": error ? true : undefined,
        "aria-describedby": describedBy || undefined,
      })}
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
