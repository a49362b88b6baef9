import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router-dom";
import { listAudit } from "../api/audit";
import { keys } from "../api/keys";
import { listZones } from "../api/zones";
import { AuditTable } from "../components/AuditTable";
import { HealthBadge } from "../components/HealthBadge";
import { MultiModeBadge } from "../components/MultiModeBadge";
import { PowerDNSFiguresList } from "../components/PowerDNSFiguresList";
import { ServerStatsTable } from "../components/ServerStatsTable";
import { WriteTargets } from "../components/WriteTargets";
import {
  HEALTH_POLL_MS,
  STATS_POLL_MS,
  useHealth,
  usePowerDNSStats,
  useServers,
  useServerStats,
} from "../hooks/queries";
import { FormError } from "../components/FormError";

export function DashboardPage() {
  // The cards come from the server list (one database read) and each gets its health as it
  // comes: a server that does not answer never holds up the others.
  const list = useServers();
  const health = useHealth();
  const figures = usePowerDNSStats();
  const hourStats = useServerStats("1h");
  const dayStats = useServerStats("24h");
  const statsError = hourStats.error ?? dayStats.error;
  const zones = useQuery({
    queryKey: [...keys.zones, "count"],
    queryFn: () => listZones({ page: 1, per_page: 1 }),
  });
  const recent = useQuery({
    queryKey: [...keys.audit, "recent"],
    queryFn: () => listAudit({ page: 1, per_page: 8 }),
  });
  const servers = list.data ?? [];
  const checks = new Map((health.data ?? []).map((h) => [h.id, h]));
  const own = new Map((figures.data ?? []).map((f) => [f.server_id, f]));
  const healthy = (health.data ?? []).filter((s) => s.healthy).length;

  return (
    <section>
      <h1>Dashboard</h1>
      <div className="stats">
        <div className="card stat">
          <span className="stat-value">
            {zones.data ? zones.data.total.toLocaleString("en") : "–"}
          </span>
          <span className="stat-label">
            <Link to="/zones">Zones</Link>
          </span>
          {zones.error && <span className="field-error">{zones.error.message}</span>}
        </div>
        <div className="card stat">
          <span className="stat-value">
            {health.data ? `${healthy}/${health.data.length}` : "–"}
          </span>
          <span className="stat-label">PowerDNS servers healthy</span>
        </div>
      </div>

      {list.data ? (
        <WriteTargets servers={servers} />
      ) : (
        <p className="targets muted">Loading servers…</p>
      )}

      <h2>PowerDNS servers</h2>
      <p className="muted">
        Health is checked every {HEALTH_POLL_MS / 1000} s.{" "}
        <Link to="/settings/powerdns">Manage servers</Link>
      </p>
      <FormError message={list.error?.message ?? health.error?.message} />
      {list.data && servers.length === 0 && (
        <p>
          No PowerDNS server yet. <Link to="/settings/powerdns">Add one in Settings</Link>.
        </p>
      )}
      <ul className="server-grid" aria-label="PowerDNS servers">
        {servers.map((server) => (
          <li key={server.id} className="card server-card" data-server={server.name}>
            <div className="server-card-head">
              <strong>{server.name}</strong>
              {server.is_default && <span className="badge badge-default">Default</span>}
              {!server.is_active && <span className="badge badge-muted">Inactive</span>}
            </div>
            <div className="badges">
              <HealthBadge health={checks.get(server.id)} />
              <MultiModeBadge enabled={server.multi_server_mode} />
            </div>
            <PowerDNSFiguresList figures={own.get(server.id)} />
          </li>
        ))}
      </ul>
      <h2>Operations</h2>
      <p className="muted">
        Success rate and 95th percentile latency of every request DNSMate sent to each server
        (reads, writes, queue replays, health checks), from all DNSMate processes; refreshed every{" "}
        {STATS_POLL_MS / 1000} s.
      </p>
      <FormError message={statsError?.message} />
      {hourStats.data && dayStats.data && (
        <ServerStatsTable hour={hourStats.data.servers} day={dayStats.data.servers} />
      )}
      <h2>Recent changes</h2>
      {recent.error && <p className="muted">{recent.error.message}</p>}
      {recent.data && <AuditTable events={recent.data.items} compact />}
      <p>
        <Link to="/audit">Full audit log</Link>
      </p>
    </section>
  );
}
