import { keys } from "../api/keys";
import { deleteRecord } from "../api/records";
import type { DnsRecord } from "../api/types";
import { useChange } from "../hooks/useChange";
import { ConfirmDialog } from "./ConfirmDialog";
import { usePtrChoice } from "./PtrCheckbox";

interface Props {
  zone: string;
  record: DnsRecord;
  /** The servers the delete goes to (GET /api/zones/{zone}), when known. */
  servers?: string[];
  onClose: () => void;
}

/** Remove one record (its siblings with the same name and type stay). */
export function DeleteRecordDialog({ zone, record, servers, onClose }: Props) {
  const { ptr, checkbox } = usePtrChoice(record.type);
  const change = useChange({
    run: () => deleteRecord(zone, record, ptr),
    title: () => `Delete ${record.type} record ${record.name}`,
    invalidate: [keys.records(zone), keys.zone(zone)],
    onSuccess: onClose,
  });
  return (
    <ConfirmDialog
      title={`Delete ${record.type} record?`}
      confirmLabel="Delete record"
      busy={change.isPending}
      onConfirm={() => change.mutate(undefined)}
      onCancel={onClose}
    >
      <p>
        <code>
          {record.name} {record.ttl} IN {record.type} {record.content}
        </code>
      </p>
      {servers && servers.length > 0 && <p>It will be removed from: {servers.join(", ")}.</p>}
      {checkbox}
    </ConfirmDialog>
  );
}
