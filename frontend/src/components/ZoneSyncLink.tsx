import { useQueryClient } from "@tanstack/react-query";
import { Link } from "react-router-dom";
import { keys } from "../api/keys";
import type { SyncStatus } from "../api/sync";
import { usePermissions } from "../hooks/usePermissions";
import { STATE_LABEL } from "../lib/sync";

/**
 * On a zone's page (admins, several write targets): a link to compare the servers' copies,
 * flagged when the last sync check found this zone drifted or missing somewhere. It only
 * reads what the Sync page already fetched: checking here would read the zone from every
 * server on each visit.
 */
export function ZoneSyncLink({ zone, servers }: { zone: string; servers: string[] }) {
  const { isAdmin } = usePermissions();
  const client = useQueryClient();
  if (!isAdmin || servers.length < 2) return null;
  const checks = client
    .getQueriesData<SyncStatus>({ queryKey: [...keys.sync, "status"] })
    .map(([, data]) => data?.zones.find((z) => z.zone === zone))
    .filter((entry) => entry !== undefined);
  const problem = checks.find((entry) => entry.status !== "in_sync");
  return (
    <p className="zone-sync-link">
      {problem && (
        <span className="badge badge-warn">● {STATE_LABEL[problem.status]} at the last check</span>
      )}{" "}
      <Link to={`/settings/sync/${encodeURIComponent(zone)}`}>
        {problem ? "Show the differences" : "Compare servers"}
      </Link>
    </p>
  );
}
