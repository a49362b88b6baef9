import { useQuery } from "@tanstack/react-query";
import { keys } from "../api/keys";
import type { ZoneVersion } from "../api/types";
import { compareWithLatest } from "../api/versions";
import { formatTime } from "../lib/time";
import { FormError } from "./FormError";
import { Modal } from "./Modal";
import { PlanList } from "./PlanList";

interface Props {
  zone: string;
  version: ZoneVersion;
  onClose: () => void;
}

/** What changed in the zone since a version: from that version to the latest one. */
export function CompareDialog({ zone, version, onClose }: Props) {
  const diff = useQuery({
    queryKey: [...keys.versions(zone), "compare", version.id],
    queryFn: () => compareWithLatest(zone, version.id),
  });
  const d = diff.data;
  return (
    <Modal title={`Version ${version.id} compared with now`} onClose={onClose}>
      <p>
        From “{version.summary}” ({formatTime(version.created_at)}) to the latest version
        {d ? ` (${d.to})` : ""}.
      </p>
      {diff.isPending && <p className="muted">Comparing…</p>}
      <FormError message={diff.error?.message} />
      {d && (
        <>
          <p data-testid="compare-summary">
            {d.adds + d.changes + d.deletes === 0
              ? "No difference: the zone is as it was then."
              : `Since then: ${d.adds} RRsets added, ${d.changes} changed, ${d.deletes} deleted.`}
          </p>
          <PlanList plan={d} />
        </>
      )}
      <div className="dialog-actions">
        <button type="button" className="button-secondary" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
