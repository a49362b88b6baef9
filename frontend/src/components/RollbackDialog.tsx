import { useQuery } from "@tanstack/react-query";
import { keys } from "../api/keys";
import type { ZoneVersion } from "../api/types";
import { planRollback, rollback } from "../api/versions";
import { useChange } from "../hooks/useChange";
import { formatTime } from "../lib/time";
import { ConfirmDialog } from "./ConfirmDialog";
import { PlanList } from "./PlanList";
import { FormError } from "./FormError";

interface Props {
  zone: string;
  version: ZoneVersion;
  servers?: string[];
  onClose: () => void;
}

/** Shows what a rollback would change (dry run), then applies it on every target server. */
export function RollbackDialog({ zone, version, servers, onClose }: Props) {
  const plan = useQuery({
    queryKey: [...keys.versions(zone), "plan", version.id],
    queryFn: () => planRollback(zone, version.id),
    staleTime: 0,
    gcTime: 0,
  });
  const change = useChange({
    run: () => rollback(zone, version.id, plan.data?.serial ?? null),
    title: () => `Roll ${zone} back to version ${version.id}`,
    invalidate: [keys.records(zone), keys.zone(zone), keys.versions(zone)],
    onSuccess: onClose,
  });
  const p = plan.data?.plan;
  const nothing = p && p.adds + p.changes + p.deletes === 0;
  return (
    <ConfirmDialog
      title={`Roll back to version ${version.id}?`}
      confirmLabel="Roll back"
      busy={change.isPending}
      ready={Boolean(p) && !nothing}
      onConfirm={() => change.mutate(undefined)}
      onCancel={onClose}
    >
      <p>
        The zone becomes what it was right after “{version.summary}” (
        {formatTime(version.created_at)}).
        {servers && servers.length > 0 && <> Applied on: {servers.join(", ")}.</>}
      </p>
      {plan.isPending && <p className="muted">Computing the changes…</p>}
      <FormError message={plan.error?.message} />
      {p && (
        <>
          <p data-testid="rollback-summary">
            {nothing
              ? "Nothing to change: the zone already matches this version."
              : `${p.adds} RRsets added, ${p.changes} changed, ${p.deletes} deleted.`}
          </p>
          <PlanList plan={p} />
        </>
      )}
    </ConfirmDialog>
  );
}
