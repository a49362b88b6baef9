import { useQuery } from "@tanstack/react-query";
import { keys } from "../api/keys";
import { deleteZone, readZone } from "../api/zones";
import { useChange } from "../hooks/useChange";
import { ConfirmDialog } from "./ConfirmDialog";

interface Props {
  zone: string;
  onClose: () => void;
  /** Called after the zone is gone from at least one server. */
  onDeleted?: () => void;
}

/** Confirmation that names the servers the delete goes to (GET /api/zones/{zone}). */
export function DeleteZoneDialog({ zone, onClose, onDeleted }: Props) {
  const detail = useQuery({ queryKey: keys.zone(zone), queryFn: () => readZone(zone) });
  const change = useChange({
    run: () => deleteZone(zone),
    title: () => `Delete zone ${zone}`,
    invalidate: [keys.zones],
    onSuccess: () => {
      onClose();
      onDeleted?.();
    },
  });
  return (
    <ConfirmDialog
      title={`Delete zone ${zone}?`}
      confirmLabel="Delete zone"
      busy={change.isPending}
      ready={!detail.isPending}
      onConfirm={() => change.mutate(undefined)}
      onCancel={onClose}
    >
      <p>
        The zone <strong>{zone}</strong> and all its records will be deleted from{" "}
        {detail.data ? (
          <>{detail.data.servers.length === 1 ? "this server" : "these servers"}:</>
        ) : (
          "the target servers."
        )}
      </p>
      {detail.isPending && <p className="muted">Looking up the target servers…</p>}
      {detail.data && (
        <ul className="target-list">
          {detail.data.servers.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
      )}
      {detail.error && (
        <p className="form-error" role="alert">
          Could not list the target servers: {detail.error.message}
        </p>
      )}
      <p>This cannot be undone.</p>
    </ConfirmDialog>
  );
}
