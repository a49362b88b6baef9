import type { ReactNode } from "react";
import { CopyButton } from "./CopyButton";

interface Props {
  /** What the secret is, e.g. "Secret of <strong>name</strong>:". */
  children: ReactNode;
  secret: string;
  dismissLabel: string;
  onDismiss: () => void;
}

/** A secret shown on the page (just made or revealed), with a copy button, until dismissed. */
export function SecretNotice({ children, secret, dismissLabel, onDismiss }: Props) {
  return (
    <div className="card secret-once" role="status">
      <p>
        {children} <code>{secret}</code> <CopyButton text={secret} />
      </p>
      <button type="button" className="button-secondary" onClick={onDismiss}>
        {dismissLabel}
      </button>
    </div>
  );
}
