import { useQuery } from "@tanstack/react-query";
import { keys } from "../api/keys";
import { versionChanges } from "../api/versions";
import { FormError } from "./FormError";
import { PlanList } from "./PlanList";

interface Props {
  zone: string;
  version: number;
  /** Only the RRsets at this name (the history's name filter). */
  name?: string;
}

/** What one version added (+), changed (~, before → after) and removed (−). */
export function VersionChanges({ zone, version, name }: Props) {
  const changes = useQuery({
    queryKey: [...keys.versions(zone), "changes", version, name ?? ""],
    queryFn: () => versionChanges(zone, version, name),
  });
  const plan = changes.data?.plan;
  return (
    <div className="version-changes" data-testid={`changes-${version}`}>
      {changes.isPending && <p className="muted">Loading the changes…</p>}
      <FormError message={changes.error?.message} />
      {plan && (
        <>
          <p>
            {plan.adds + plan.changes + plan.deletes === 0
              ? name
                ? `No RRset at ${name} changed in this version.`
                : "No RRset changed in this version (the SOA aside)."
              : `${plan.adds} added, ${plan.changes} changed, ${plan.deletes} removed` +
                (name ? ` at ${name}` : "") +
                "."}
          </p>
          <PlanList plan={plan} />
        </>
      )}
    </div>
  );
}
