import { Link } from "react-router-dom";
import type { ZoneDrift } from "../api/types";
import { usePermissions } from "../hooks/usePermissions";
import { STATE_LABEL } from "../lib/sync";

/**
 * On a zone's page (admins, several write targets): a link to compare the servers' copies,
 * flagged when the server's last sync check (the Sync page's, or the periodic one) found this
 * zone drifted or missing somewhere. The zone's own answer carries that check: nothing is
 * compared on each visit.
 */
export function ZoneSyncLink({
  zone,
  servers,
  drift,
}: {
  zone: string;
  servers: string[];
  drift: ZoneDrift | null | undefined;
}) {
  const { isAdmin } = usePermissions();
  if (!isAdmin || servers.length < 2) return null;
  const problem = drift && drift.status !== "in_sync" ? drift : null;
  const where = problem ? [...problem.drifted_on, ...problem.missing_on] : [];
  return (
    <p className="zone-sync-link">
      {problem && (
        <span
          className="badge badge-warn"
          title={`Checked ${new Date(problem.checked_at).toLocaleString()}`}
        >
          ● {STATE_LABEL[problem.status]} at the last check
          {where.length > 0 ? ` (${where.join(", ")})` : ""}
        </span>
      )}{" "}
      <Link to={`/settings/sync/${encodeURIComponent(zone)}`}>
        {problem ? "Show the differences" : "Compare servers"}
      </Link>
    </p>
  );
}
