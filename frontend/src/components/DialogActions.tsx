interface Props {
  onCancel: () => void;
  /** The submit button's text, e.g. "Save server". */
  label: string;
  /** While the request runs the button is disabled and says ``pendingLabel``. */
  pending: boolean;
  pendingLabel?: string;
}

/** A dialog form's buttons: Cancel, then the submit button. */
export function DialogActions({ onCancel, label, pending, pendingLabel = "Saving…" }: Props) {
  return (
    <div className="dialog-actions">
      <button type="button" className="button-secondary" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" disabled={pending}>
        {pending ? pendingLabel : label}
      </button>
    </div>
  );
}
