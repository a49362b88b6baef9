import type { ReactNode } from "react";
import { Modal } from "./Modal";

interface Props {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  /** False while what the dialog must say is still loading. */
  ready?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/** "Are you sure?" for destructive changes; the body says what will be touched. */
export function ConfirmDialog(props: Props) {
  const { title, children, confirmLabel, busy, ready = true, onConfirm, onCancel } = props;
  return (
    <Modal title={title} onClose={onCancel}>
      <div className="confirm-body">{children}</div>
      <div className="dialog-actions">
        <button type="button" className="button-secondary" onClick={onCancel}>
          Cancel
        </button>
        <button
          type="button"
          className="button-danger"
          onClick={onConfirm}
          disabled={busy || !ready}
        >
          {busy ? "Working…" : confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
